namespace Plue.Protocol;

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
    /// <summary>An ACP agent's answer to <c>initialize</c>, which its test asks: its name, version and protocol ("Claude Code 0.16.2, ACP protocol 1").</summary>
    public string? Agent { get; init; }
    /// <summary>What mends a failure, when one thing does; absent when the test passed or nothing the user sets would help.</summary>
    public InstanceFix? Fix { get; init; }
    /// <summary>When the test ran.</summary>
    public required DateTimeOffset TestedAt { get; init; }
    /// <summary>A digest of the settings the test tried (provider, endpoint, key reference, model, how the key is sent): once they are edited, the test no longer speaks
    /// for the instance, which reads as untested until tested again. Absent for instances from the environment.</summary>
    public string? SettingsDigest { get; init; }
}
