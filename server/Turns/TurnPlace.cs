namespace Plue.Turns;

/// <summary>
/// Where a turn runs and under what: the transcript it writes (a chat's or a task's id), the folders its tools and
/// hooks work in (a task's worktree; null: the workspace's), the sandbox policy its children run under, and whether
/// its backend is Claude Code (which runs Claude Code's settings files' hooks itself, so Plue leaves those out). A
/// turn run somewhere else (a container, another machine) is another place, not another loop.
/// </summary>
public sealed record TurnPlace(string Id, IReadOnlyList<string>? Folders, Sandbox.SandboxPolicy? Sandbox, bool ClaudeCode);
