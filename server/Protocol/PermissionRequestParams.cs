using System.Text.Json;

namespace Plue.Protocol;

/// <summary>
/// <c>permission/request</c> (sidecar → client): may a backend run this tool? The client asks the user.
/// </summary>
public sealed record PermissionRequestParams
{
    public string? TaskId { get; init; }
    public string? SessionId { get; init; }
    public required string Tool { get; init; }
    public required JsonElement Input { get; init; }
    public string? Reason { get; init; }
    /// <summary>For bash: the command prefix "Always…" may offer (<c>npm test</c>); absent when the command has shell operators.</summary>
    public string? SuggestedPrefix { get; init; }
    /// <summary>For write and edit: the workspace-relative path glob "Always…" may offer (<c>src/parser/**</c>).</summary>
    public string? SuggestedGlob { get; init; }
    /// <summary>For bash: the sandbox policy the command will run under, in words ("Workspace write (home hidden, no network)"), or, for a task in a container or a swarm job, the place, starting "in " ("in its container on Build box (no network)").</summary>
    public string? SandboxPolicy { get; init; }
    /// <summary>For bash with a suggested prefix: the one host every URL of the command is on (<c>127.0.0.1:8080</c>), which "Always…" may name too.</summary>
    public string? SuggestedHost { get; init; }
}
