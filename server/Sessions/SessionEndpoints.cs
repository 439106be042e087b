using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Sessions;

/// <summary>The chat methods: sessions, their transcripts, and the turns that stream into them.</summary>
public sealed class SessionEndpoints(SessionService sessions, MessageStore messages, ChatTurnRunner runner) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.SessionCreate, (p, ct) => sessions.CreateAsync(p, ct));
        router.Add(Contract.SessionList, p => sessions.List(p.Archived ?? false));
        router.Add(Contract.SessionGet, p => sessions.Get(p.Id));
        router.Add(Contract.SessionMessages, p => TranscriptPages.Read(messages, p, id => sessions.Record(id).Id));
        router.Add(Contract.SessionRename, p => sessions.Rename(p.Id, p.Title));
        router.Add(Contract.SessionArchive, p => sessions.Archive(p.Id, p.Archived ?? true));
        router.Add(Contract.SessionDelete, p =>
        {
            sessions.Delete(p.Id);
            return new DeletedResult { Deleted = true };
        });
        router.Add(Contract.SessionSetModel, (p, ct) => sessions.SetModelAsync(p, ct));
        router.Add(Contract.SessionSend, (p, ct) => runner.SendAsync(p.SessionId, p.Text, p.Attachments, ct));
        router.Add(Contract.SessionCancel, p => new CancelledResult { Cancelled = runner.Cancel(p.SessionId) });
        router.Add(Contract.SessionRegenerate, (p, ct) => runner.RegenerateAsync(p.SessionId, ct));
        router.Add(Contract.SessionEditAndResend, (p, ct) => runner.EditAndResendAsync(p.SessionId, p.MessageId, p.Text, ct));
        router.Add(Contract.SessionFork, p => sessions.Fork(p.SessionId, p.MessageId));
    }
}
