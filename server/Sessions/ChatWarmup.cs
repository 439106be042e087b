using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Catalog;
using Plue.Codex.Kinds;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;
using Plue.Transcripts;
using Plue.Rpc;

namespace Plue.Sessions;

/// <summary>
/// Readies the chat path in the background once <c>initialize</c> is answered, so the first <c>session/send</c> does not
/// pay for it while the user waits: the session feature's services and the record kinds made, the store opened, the
/// latest chat's transcript read (and kept by the transcript cache), its instance resolved (catalog, vault) and its
/// provider's client made, and the wire metadata of a turn built.
/// Nothing is sent to any provider, and no process is started. The transcript is read last, once the client's start-up
/// requests are answered (a restored panel's page, the home's lists), and not at all once a turn has started: that turn
/// reads its own, and a long chat read beside it would only compete with it for the CPU.
/// <para>What the request reads from files (templates, the catalog's shipped files, the vault's names) is read beside this, from the host's start on (<see cref="Sidecar.StartReads"/>).</para>
/// </summary>
internal sealed partial class ChatWarmup(JsonRpcPeer peer, RequestRouter router, SessionService sessions, MessageStore messages, InstanceResolver resolver,
    IChatClientFactory clients, ActiveTurns turns, RecordKinds kinds, ILogger<ChatWarmup> logger) : IHostedService
{
    // The warm-up's steps, seen by the start-up under PLUE_TIMINGS (nothing is made otherwise).
    private static readonly ActivitySource s_steps = new("Plue.Steps");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // After the answer to initialize is written, so the warm-up never holds it up. Not on the pool: its work blocks
        // for tens of milliseconds, and a new chat's session/create, read at 24 ms, began at 57 ms behind it.
        _ = peer.InitializeAnswered.ContinueWith(_ =>
        {
            StartWork.Run("plue warm-up", () => WarmAsync().GetAwaiter().GetResult(), e => LogSkipped(e.Message));
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal async Task WarmAsync()
    {
        try
        {
            // What a new chat's first request would make before it writes its record: the session feature's table (its
            // services), the record kinds, and the JSON metadata of the change it tells the client of.
            // The features' tables are registered while the host starts, beside this; a table is made once they all are.
            router.Completion.GetAwaiter().GetResult();
            router.Prepare(Contract.SessionCreate.Name);
            s_steps.StartActivity("warm-up: session table")?.Dispose();
            kinds.Prepare();
            s_steps.StartActivity("warm-up: record kinds")?.Dispose();
            _ = Contract.CodexChanged.ParamsType;
            _ = Contract.SessionSend.ParamsType;
            _ = Contract.SessionSend.ResultType;
            _ = Contract.SessionMessageUpdated.ParamsType;
            _ = Contract.SessionUpdated.ParamsType;
            _ = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new PartDeltaParams { SessionId = "", MessageId = "", PartId = "", Kind = PartKind.Text, Delta = "" },
                Contract.SessionPartDelta.ParamsType);
            s_steps.StartActivity("warm-up: metadata")?.Dispose();
            var latest = sessions.Latest();
            s_steps.StartActivity("warm-up: latest chat read")?.Dispose();
            if (latest is not { } chat) return;
            _ = sessions.ToSession(chat);
            var connection = resolver.Resolve(sessions.InstanceId(chat));
            s_steps.StartActivity("warm-up: instance resolved")?.Dispose();
            // The CLI and the editor's models have no client worth making ahead: theirs start with the turn.
            if (!ProviderTypes.RunsOwnTools(connection.ProviderType) && connection.ProviderType != ProviderTypes.VsCodeLm)
                (clients.Create(connection, chat.Id) as IDisposable)?.Dispose();
            await QuietAsync(turns.FirstStarted).ConfigureAwait(false);
            _ = TranscriptBuilder.Build(messages.Messages(chat.Id, cancellationToken: turns.FirstStarted));
        }
        catch (OperationCanceledException)
        {
            LogSkipped("a turn started first");
        }
        catch (Exception e)
        {
            // Best effort: whatever fails here fails again on the turn itself, which tells the user.
            LogSkipped(e.Message);
        }
    }

    /// <summary>Returns once no request has been running at two looks 50 ms apart.</summary>
    private async Task QuietAsync(CancellationToken cancellationToken)
    {
        for (var quiet = 0; quiet < 2;)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            quiet = peer.Busy ? 0 : quiet + 1;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The chat path was not readied ahead: {Reason}")]
    private partial void LogSkipped(string reason);
}
