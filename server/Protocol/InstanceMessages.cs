using System.Text.Json.Serialization;

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

/// <summary>
/// <c>instances/test</c> result, also kept as the instance's <c>lastTest</c>; <c>error</c> says what is missing when
/// <c>ok</c> is false, and <c>fix</c> names what the user changes to mend it.
/// </summary>
public sealed record InstanceTestResult
{
    public required bool Ok { get; init; }
    public required long LatencyMs { get; init; }
    public int? ModelCount { get; init; }
    public string? Error { get; init; }
    /// <summary>What mends a failure, when one thing does; absent when the test passed or nothing the user sets would help.</summary>
    public InstanceFix? Fix { get; init; }
    /// <summary>When the test ran.</summary>
    public required DateTimeOffset TestedAt { get; init; }
    /// <summary>A digest of the instance's settings the test ran with: once they are edited, the test no longer speaks
    /// for the instance, which reads as untested until tested again. Absent for instances from the environment.</summary>
    public string? SettingsDigest { get; init; }
}

/// <summary>What mends a failed test.</summary>
public enum InstanceFix
{
    /// <summary>The key is missing, wrong or revoked (401/403): set another.</summary>
    [JsonStringEnumMemberName("key")] Key,
    /// <summary>The endpoint cannot be reached or is not that kind of server (refused, DNS, timeout, 404), or the CLI is missing: edit the instance.</summary>
    [JsonStringEnumMemberName("settings")] Settings,
    /// <summary>The claude CLI is not logged in: run <c>claude login</c>.</summary>
    [JsonStringEnumMemberName("login")] Login,
    /// <summary>The instance is disabled.</summary>
    [JsonStringEnumMemberName("enable")] Enable,
}
