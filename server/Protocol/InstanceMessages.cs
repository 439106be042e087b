namespace Plue.Protocol;

/// <summary><c>instances/create</c> params. Give <c>apiKey</c> (stored in the vault) or <c>apiKeyRef</c>, not both.</summary>
public sealed record CreateInstanceParams
{
    public required string DisplayName { get; init; }
    public required string CatalogProviderId { get; init; }
    /// <summary>Overrides the catalog's default endpoint.</summary>
    public string? Endpoint { get; init; }
    public int? TimeoutMs { get; init; }
    public int? FirstByteTimeoutMs { get; init; }
    public RetryPolicy? Retry { get; init; }
    /// <summary>A secret: stored as <c>vault://&lt;catalogProviderId&gt;/&lt;slug&gt;</c>, never kept anywhere else.</summary>
    public string? ApiKey { get; init; }
    public string? ApiKeyRef { get; init; }
    public ModelFilter? ModelFilter { get; init; }
    public string? DefaultModel { get; init; }
    public string? CliPath { get; init; }
    public bool? Enabled { get; init; }

    public override string ToString() => $"CreateInstanceParams {{ DisplayName = {DisplayName}, CatalogProviderId = {CatalogProviderId} }}";
}

/// <summary>
/// <c>instances/update</c> params at the version the caller read. Absent members stay as they are; an empty string
/// clears <c>endpoint</c>, <c>apiKeyRef</c>, <c>defaultModel</c> or <c>cliPath</c>; a <c>modelFilter</c> replaces the whole filter.
/// </summary>
public sealed record UpdateInstanceParams
{
    public required string Id { get; init; }
    public required long Version { get; init; }
    public string? DisplayName { get; init; }
    public string? Endpoint { get; init; }
    public int? TimeoutMs { get; init; }
    public int? FirstByteTimeoutMs { get; init; }
    public RetryPolicy? Retry { get; init; }
    public string? ApiKey { get; init; }
    public string? ApiKeyRef { get; init; }
    public ModelFilter? ModelFilter { get; init; }
    public string? DefaultModel { get; init; }
    public string? CliPath { get; init; }
    public bool? Enabled { get; init; }

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
