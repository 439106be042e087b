using System.Text.Json;

namespace Plue.Agents.Tools;

/// <summary>
/// A tool an agent task may call. The sidecar decides whether it may run (the task's
/// allow-list, the user's approval); the tool itself only does the work, inside the workspace.
/// </summary>
public interface IAgentTool
{
    /// <summary>The name the model calls it by and the allow-list names: read, write, edit, search, bash, spawn_task, mcp__server__tool.</summary>
    string Name { get; }
    string Description { get; }
    /// <summary>The JSON schema of the input object, as the model is shown it.</summary>
    JsonElement InputSchema { get; }
    /// <summary>True for tools that change the workspace or run commands (write, edit, bash): they ask unless allowed.</summary>
    bool AsksApproval { get; }
    Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken);
}

/// <summary>What a tool knows of the task calling it.</summary>
public sealed record ToolContext
{
    public required string TaskId { get; init; }
    /// <summary>The only places a tool may read or write, symlinks resolved.</summary>
    public required IReadOnlyList<string> WorkspaceFolders { get; init; }
    public int BashTimeoutMs { get; init; }
    /// <summary>The sandbox the commands it starts run in (the chat's or task's policy).</summary>
    public Sandbox.SandboxPolicy Sandbox { get; init; } = Plue.Sandbox.SandboxPolicy.Off;
    /// <summary>The container its commands run in (the task runs in one); null: on this machine.</summary>
    public Containers.TaskContainer? Container { get; init; }
    /// <summary>The host's Plue home, hidden from the commands it starts; null: the one PLUE_HOME or ~/.plue names.</summary>
    public string? PlueHome { get; init; }
}

/// <summary>What the model is told: the output, or why it failed (the model reads errors and adapts).</summary>
public sealed record ToolResult(string Output, bool IsError = false, bool Denied = false)
{
    /// <summary>How the call was let through or stopped, and the rule that decided (kept on its transcript part); null when it never got that far.</summary>
    public Protocol.ToolApproval? Approval { get; init; }

    /// <summary>What the call's agent hooks did that the chat shows beside the result (a warning, a block, a time limit passed).</summary>
    public IReadOnlyList<Protocol.HookPart>? Notices { get; init; }

    /// <summary>What the sandbox stopped the call from doing (a path written, a host reached), for the approval card to offer.</summary>
    public IReadOnlyList<Sandbox.SandboxDenial> SandboxDenials { get; init; } = [];

    /// <summary>Why the call ran without a sandbox its policy asked for (said once per chat or task, as a card), and the commands that fix it.</summary>
    public (string Why, string? Fix)? Unconfined { get; init; }

    public static ToolResult Error(string message) => new(message, IsError: true);

    /// <summary>Not run: the approval was refused; <paramref name="reason"/> is what the model reads.</summary>
    public static ToolResult Refused(string reason) => new(reason, IsError: true, Denied: true);
}
