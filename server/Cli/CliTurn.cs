using Plue.Protocol;

namespace Plue.Cli;

/// <summary>One chat turn on the command line: its text streamed to stdout, Ctrl+C stopping it (the partial answer is kept).</summary>
internal static class CliTurn
{
    public static async Task<SessionMessage> StreamAsync(CliRun run, string sessionId, Func<CancellationToken, Task<SessionMessage>> send)
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
                    answer.Text(p.Delta);
                    endsWithNewline = p.Delta.EndsWith('\n');
                }
                else if (p.Kind == PartKind.Reasoning) answer.Reasoning(p.Delta);
            };
        }
        // Ctrl+C asks the sidecar to stop the turn, which then answers with what it kept.
        await using (run.Cancellation.Register(() => _ = run.Sidecar.CallAsync(Contract.SessionCancel, new SessionIdParams { SessionId = sessionId })).ConfigureAwait(false))
        {
            var message = await send(CancellationToken.None).ConfigureAwait(false);
            run.Sidecar.Events.PartDelta = null;
            if (!run.Json) answer.Finish(endsWithNewline);
            return message;
        }
    }

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
                run.Terminal.Error.WriteLine($"plue: check it with `plue instances test \"{instance.DisplayName}\"`; the chat is kept (`plue sessions list`).");
                return CliError.Failed;
        }
    }
}
