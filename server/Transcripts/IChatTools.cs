using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Providers;

namespace Plue.Transcripts;

/// <summary>
/// The workspace tools a chat may use, lent by the agents' tool runner (registered by AddAgents): the same tools,
/// approvals, confinement and permission memory as a task's, with the chat's id where a task's would be.
/// </summary>
public interface IChatTools
{
    /// <summary>
    /// Readies one turn of a chat with <paramref name="tools"/> (empty: none): declares them in <paramref name="options"/>
    /// for an HTTP backend, or names them to the claude CLI, and gives the client to ask with. Those of
    /// <paramref name="autoApprove"/> run without asking (the chat's mode says which); its commands run under
    /// <paramref name="sandboxPolicy"/> (the mode's), else the workspace's.
    /// </summary>
    Task<ChatToolTurn> OpenAsync(string chatId, IReadOnlyList<string> tools, IReadOnlyList<string> autoApprove, ProviderConnection connection, ChatOptions options, CancellationToken cancellationToken,
        string? sandboxPolicy = null);

    /// <summary>The chat was archived or deleted: what its tools keep for it (a container its policy ran commands in) goes.</summary>
    Task CloseAsync(string chatId);
}

/// <summary>A chat turn's client, and how the tool calls an answer left for the sidecar run.</summary>
public sealed class ChatToolTurn
{
    public required IChatClient Client { get; init; }

    /// <summary>True when the sidecar runs the calls (an HTTP backend with tools): the history then replays tool traffic.</summary>
    public required bool RunsCalls { get; init; }

    /// <summary>Runs the answer's pending calls and stores their results; false when it left none.</summary>
    public required Func<SessionMessage, CancellationToken, Task<bool>> RunCallsAsync { get; init; }
}
