using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Cli;

/// <summary>One chat turn on the command line: its text streamed to stdout, Ctrl+C stopping it (the partial answer is kept).</summary>
internal static class CliTurn
{
    /// <summary>A turn refused before it streamed (no key, a disabled instance) is told with what to do next.</summary>
    public static async Task<SessionMessage> SendAsync(CliRun run, ProviderInstance instance, string sessionId, Func<CancellationToken, Task<SessionMessage>> send, CancellationToken stop)
    {
        try
        {
            return await StreamAsync(run, sessionId, send, stop).ConfigureAwait(false);
        }
        catch (Rpc.RpcException e) when (e.Code == PlueErrorCodes.ProviderError)
        {
            throw new CliError($"{instance.DisplayName}: {e.Message}\nplue: {Hint(e.Message, instance)}.");
        }
    }

    private static async Task<SessionMessage> StreamAsync(CliRun run, string sessionId, Func<CancellationToken, Task<SessionMessage>> send, CancellationToken stop)
    {
        var answer = new CliAnswer(run.Terminal);
        var endsWithNewline = true;
        if (!run.Json)
        {
            run.Sidecar.Events.PartDelta = p =>
            {
                if (p.SessionId != sessionId || p.Delta.Length == 0) return;
                if (p.Kind == PartKind.Text)
                {
                    StartTimings.Mark("first token");
                    answer.Text(p.Delta);
                    endsWithNewline = p.Delta.EndsWith('\n');
                }
                else if (p.Kind == PartKind.Reasoning) answer.Reasoning(p.Delta);
            };
        }
        // Ctrl+C asks the sidecar to stop the turn, which then answers with what it kept.
        await using (stop.Register(() => _ = run.Sidecar.CallAsync(Contract.SessionCancel, new SessionIdParams { SessionId = sessionId })).ConfigureAwait(false))
        {
            var message = await send(CancellationToken.None).ConfigureAwait(false);
            run.Sidecar.Events.PartDelta = null;
            if (!run.Json) answer.Finish(endsWithNewline);
            return message;
        }
    }

    /// <summary>What to do next: set a key when it is missing, else test the instance.</summary>
    public static string Hint(string? error, ProviderInstance instance) =>
        error?.Contains("no API key", StringComparison.OrdinalIgnoreCase) == true
            ? $"set its key with `plue instances key \"{instance.DisplayName}\"`"
            : $"check it with `plue instances test \"{instance.DisplayName}\"`";

    /// <summary>0 for a whole answer; a failed one is told on stderr (1), a stopped one is 130.</summary>
    public static int ExitCode(CliRun run, SessionMessage answer, ProviderInstance instance)
    {
        switch (answer.Status)
        {
            case MessageStatus.Complete:
                return 0;
            case MessageStatus.Cancelled or MessageStatus.Interrupted:
                run.Terminal.Error.WriteLine("plue: stopped; the partial answer is kept in the chat");
                return 130;
            default:
                run.Terminal.Error.WriteLine($"plue: {instance.DisplayName} failed: {answer.Error ?? "no answer"}");
                run.Terminal.Error.WriteLine($"plue: {Hint(answer.Error, instance)}; the chat is kept (`plue sessions list`).");
                return CliError.Failed;
        }
    }
}
