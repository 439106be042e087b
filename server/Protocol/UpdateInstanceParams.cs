namespace Plue.Protocol;

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
