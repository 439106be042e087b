namespace Plue.Protocol;

/// <summary>
/// What the call run again gave (its result part is updated the same way and told by <c>session/messageUpdated</c>):
/// its output, whether it failed, what the sandbox still denied, and for allowAlways the grants made.
/// </summary>
public sealed record SandboxAllowResult
{
    public required string Output { get; init; }
    public bool IsError { get; init; }
    public IReadOnlyList<SandboxDenialInfo> Denials { get; init; } = [];
    public IReadOnlyList<ToolGrantInfo> Grants { get; init; } = [];
}
