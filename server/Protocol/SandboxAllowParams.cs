namespace Plue.Protocol;

/// <summary>
/// <c>sandbox/allowOnce</c> and <c>sandbox/allowAlways</c>: the tool call whose result part (<c>partId</c>, a
/// <c>tool_result</c> carrying <c>sandboxDenials</c>) the sandbox stopped, in the chat or task <c>id</c>.
/// </summary>
public sealed record SandboxAllowParams
{
    public required string Id { get; init; }
    public required string PartId { get; init; }
}
