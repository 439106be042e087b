using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;
using ClaudeCodeSessions = Plue.Providers.ClaudeCode.ClaudeCodeSessions;

namespace Plue.Sessions;

/// <summary>
/// The chat methods: sessions, their transcripts, and the turns that stream into them. A chat archived or deleted
/// ends its claude CLI process and removes its container, if it has them.
/// </summary>
public sealed class SessionEndpoints(ChatExport export, SessionsTransfer transfer, SessionService sessions, MessageStore messages, ChatTurnRunner runner, ClaudeCodeSessions cliSessions, ChatModes modes, SessionSearch search, Plue.Sandbox.SandboxPolicies sandboxes,
    IChatTools tools) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.SessionCreate, (p, ct) => sessions.CreateAsync(p, ct));
        router.Add(Contract.SessionList, p => sessions.List(p.Archived ?? false, p.Limit, p.After));
        router.Add(Contract.SessionGet, p => sessions.Get(p.Id));
        router.Add(Contract.SessionExport, p => export.Export(p));
        router.Add(Contract.SessionExportAll, _ => transfer.ExportAll());
        router.Add(Contract.SessionImport, p => transfer.Import(p));
        router.Add(Contract.SessionMessages, p => TranscriptPages.Read(messages, p, id => sessions.Record(id).Id));
        router.Add(Contract.SessionMessage, p => TranscriptPages.One(messages, p.MessageId, sessions.Record(p.SessionId).Id));
        router.Add(Contract.SessionRename, p => sessions.Rename(p.Id, p.Title));
        router.Add(Contract.SessionArchive, async (p, _) =>
        {
            var archived = sessions.Archive(p.Id, p.Archived ?? true);
            if (archived.Status == SessionStatus.Archived) await Task.WhenAll(cliSessions.CloseAsync(p.Id).AsTask(), tools.CloseAsync(p.Id)).ConfigureAwait(false);
            return archived;
        });
        router.Add(Contract.SessionDelete, async (p, _) =>
        {
            sessions.Delete(p.Id);
            await Task.WhenAll(cliSessions.CloseAsync(p.Id).AsTask(), tools.CloseAsync(p.Id)).ConfigureAwait(false);
            return new DeletedResult { Deleted = true };
        });
        router.Add(Contract.SessionSetModel, (p, ct) => sessions.SetModelAsync(p, ct));
        router.Add(Contract.SessionModes, _ => (IReadOnlyList<ChatMode>)[.. modes.List().Select(m => ChatModes.ToWire(m) with { SandboxPolicy = sandboxes.Resolve(m.SandboxPolicy).DescribeHere() })]);
        router.Add(Contract.SessionSetMode, (p, ct) => sessions.SetModeAsync(p, ct));
        router.Add(Contract.SessionSend, (p, context, ct) => new ValueTask<SessionMessage>(runner.SendAsync(p.SessionId, p.Text, p.Attachments, ct, context.Turn)));
        router.Add(Contract.SessionStartPlan, (p, ct) => runner.StartPlanAsync(p.SessionId, p.MessageId, p.Mode, ct));
        router.Add(Contract.SessionSearch, p => search.Search(p));
        router.Add(Contract.SessionQueue, p => runner.Queue(p.SessionId));
        router.Add(Contract.SessionQueueEdit, (p, _) => runner.EditQueuedAsync(p.Id, p.Text));
        router.Add(Contract.SessionQueueRemove, async (p, _) => new DeletedResult { Deleted = await runner.RemoveQueuedAsync(p.Id).ConfigureAwait(false) });
        router.Add(Contract.SessionSteer, (p, _) => runner.SteerAsync(p.Id));
        router.Add(Contract.SessionAddSystem, (p, _) => runner.AddSystemAsync(p.SessionId, p.Text));
        router.Add(Contract.SessionCancel, p => new CancelledResult { Cancelled = runner.Cancel(p.SessionId) });
        router.Add(Contract.SessionRegenerate, (p, ct) => runner.RegenerateAsync(p.SessionId, ct));
        router.Add(Contract.SessionEditAndResend, (p, ct) => runner.EditAndResendAsync(p.SessionId, p.MessageId, p.Text, ct));
        router.Add(Contract.SessionCompact, (p, ct) => runner.CompactAsync(p.SessionId, p.Focus, ct));
        router.Add(Contract.SessionFork, p => sessions.Fork(p.SessionId, p.MessageId));
    }
}
