namespace Plue.Protocol;

/// <summary><c>instances/create</c> params.</summary>
public sealed record CreateInstanceParams : InstanceSettings
{
    public required string DisplayName { get; init; }
    public required string CatalogProviderId { get; init; }

    public override string ToString() => $"CreateInstanceParams {{ DisplayName = {DisplayName}, CatalogProviderId = {CatalogProviderId} }}";
}

/// <summary>
/// <c>instances/update</c> params at the version the caller read. Absent members stay as they are; an empty string
/// clears <c>endpoint</c>, <c>apiKeyRef</c>, <c>defaultModel</c> or <c>cliPath</c>; a <c>modelFilter</c> replaces the whole filter.
/// </summary>
public sealed record UpdateInstanceParams : InstanceSettings
{
    public required string Id { get; init; }
    public required long Version { get; init; }
    public string? DisplayName { get; init; }

    public override string ToString() => $"UpdateInstanceParams {{ Id = {Id}, Version = {Version} }}";
}

/// <summary><c>instances/setEnabled</c> params.</summary>
public sealed record SetInstanceEnabledParams
{
    public required string Id { get; init; }
    public required bool Enabled { get; init; }
}

/// <summary><c>instances/test</c> result; <c>error</c> says what is missing when <c>ok</c> is false.</summary>
public sealed record InstanceTestResult
{
    public required bool Ok { get; init; }
    public required long LatencyMs { get; init; }
    public int? ModelCount { get; init; }
    public string? Error { get; init; }
}
