using System.Text.Json;

namespace Plue.Providers.ClaudeCode;

/// <summary>The CLI asks to run one of its tools (a <c>can_use_tool</c> control request).</summary>
public sealed record ToolApprovalRequest
{
    /// <summary>The plue chat session the turn belongs to.</summary>
    public required string SessionId { get; init; }
    public required string Tool { get; init; }
    /// <summary>The tool's input as the model wrote it, e.g. <c>{"command":"rm -rf build"}</c>.</summary>
    public required JsonElement Input { get; init; }
    public string? ToolUseId { get; init; }
    /// <summary>Why the CLI asks: its description of the call, or the path outside the workspace it would touch.</summary>
    public string? Reason { get; init; }
}
