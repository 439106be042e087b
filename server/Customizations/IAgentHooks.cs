using System.Text.Json.Nodes;
using Plue.Protocol;

namespace Plue.Customizations;

/// <summary>
/// Runs the agent hooks of one event (docs/CUSTOMIZATIONS.md, Agent hooks): the port chats ask, implemented beside the
/// tools (Agents/Hooks), so a chat's turn and a task's run the same hooks the same way.
/// </summary>
public interface IAgentHooks
{
    /// <summary>Runs the used hooks the call's event (and tool) selects, one after another, until one blocks.</summary>
    Task<AgentHookOutcome> RunAsync(AgentHookCall call, CancellationToken cancellationToken);
}

/// <summary>One agent event: what its hooks read on stdin.</summary>
/// <param name="SessionId">The chat's or task's id.</param>
/// <param name="Folders">Where the hooks run: the task's worktree, else the workspace's folders (the first one).</param>
/// <param name="ClaudeCode">The backend is Claude Code, which runs Claude Code's settings files' hooks itself: Plue leaves those out.</param>
public sealed record AgentHookCall(string Event, string SessionId, IReadOnlyList<string>? Folders = null, bool ClaudeCode = false)
{
    /// <summary>Plue's tool name (PreToolUse, PostToolUse); hooks read the name they know it by.</summary>
    public string? Tool { get; init; }
    public JsonNode? ToolInput { get; init; }
    public JsonNode? ToolResponse { get; init; }
    /// <summary>The user's message (UserPromptSubmit).</summary>
    public string? Prompt { get; init; }
    /// <summary>A Stop hook already kept this turn going (Claude Code's <c>stop_hook_active</c>).</summary>
    public bool StopHookActive { get; init; }
    /// <summary>The chat's or task's sandbox policy, which its hooks run under as its other children do; null: the workspace's.</summary>
    public Sandbox.SandboxPolicy? Sandbox { get; init; }
}

/// <summary>What the event's hooks said.</summary>
/// <param name="Blocked">A hook exited with 2: the call, prompt or stop does not go ahead.</param>
/// <param name="Feedback">The blocking hook's stderr: what the model (or, for a prompt, the user) reads.</param>
/// <param name="Context">The hooks' stdout at UserPromptSubmit and SessionStart, for the model.</param>
/// <param name="Notices">What the chat shows: each block, warning (another exit code), time limit passed, context added.</param>
public sealed record AgentHookOutcome(bool Blocked, string? Feedback, string? Context, IReadOnlyList<HookPart> Notices)
{
    public static AgentHookOutcome None { get; } = new(false, null, null, []);
}

/// <summary>What a chat's turn and a task's run do alike with their hooks' outcomes.</summary>
public static class AgentHookTurns
{
    /// <summary>How many times Stop hooks may keep one turn going (exit 2), so two hooks cannot loop a turn for ever.</summary>
    public const int MaxStopContinuations = 3;

    /// <summary>The message that keeps a turn going after a Stop hook exits with 2: the model reads the hook's stderr.</summary>
    public static HookPart StopReason(string id, string feedback) => new()
    {
        Id = id,
        Event = "Stop",
        Outcome = "blocked",
        Text = feedback,
        Context = $"A Stop hook did not let you stop yet: {feedback}",
    };

}
