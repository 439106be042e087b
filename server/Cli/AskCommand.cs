using System.CommandLine;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Cli;

/// <summary>
/// <c>plue ask "…"</c>: one question, answered as it streams. The chat is stored like any other (VS Code lists it under
/// User Chats); piped input is added to the question, <c>-f</c> attaches files.
/// </summary>
internal static class AskCommand
{
    private const int TitleLength = 60;

    /// <summary>What is read from stdin at most: a question and what goes with it, about 250 000 tokens, more than most models hold.</summary>
    internal const int MaxPipedBytes = 1024 * 1024;

    /// <summary>What one attached file may hold.</summary>
    internal const int MaxFileBytes = 4 * 1024 * 1024;

    public static Command Create(CliGlobals globals)
    {
        var prompt = new Argument<string?>("question") { Description = "What to ask; piped input (stdin) is added after it", Arity = ArgumentArity.ZeroOrOne };
        var model = new Option<string?>("--model", "-m") { Description = "The model id (default: the instance's default model, else its first)", HelpName = "model" };
        var instance = new Option<string?>("--instance", "-i") { Description = "The provider instance, by name (default: the first enabled one with a key)", HelpName = "name" };
        var system = new Option<string?>("--system") { Description = "A system prompt for this chat", HelpName = "text" };
        var files = new Option<string[]>("--file", "-f") { Description = "Attach a file (repeat for more)", HelpName = "path", AllowMultipleArgumentsPerToken = false };
        var mode = new Option<string?>("--mode") { Description = "The chat's mode: Ask, Agent, Plan (reads only, ends with a plan) or one of yours", HelpName = "mode" };
        // Trusted, the workspace's grants count here as in the window, a task and plue acp: the same rules, the same answers.
        var trust = TaskRunCommand.TrustOption();
        var command = new Command("ask", "Ask one question and stream the answer to stdout; the chat is kept in the store (VS Code shows it under User Chats)")
        {
            prompt, model, instance, system, files, mode, trust,
        };
        globals.SetAction(command, run => RunAsync(run, run.Parse.GetValue(prompt), run.Parse.GetValue(instance), run.Parse.GetValue(model),
            run.Parse.GetValue(system), run.Parse.GetValue(files) ?? [], run.Parse.GetValue(mode)), parse => parse.GetValue(trust), oneShot: true);
        return command;
    }

    private static async Task<int> RunAsync(CliRun run, string? prompt, string? instanceName, string? modelId, string? system, string[] files, string? mode)
    {
        var text = Question(prompt, !run.Terminal.CanAsk ? await PipedAsync(run.Terminal, run.Cancellation).ConfigureAwait(false) : null);
        var attachments = files.Select(Attach).ToList();
        if (text.Length == 0 && attachments.Count == 0)
            throw new CliError("Nothing to ask: give a question (plue ask \"…\"), pipe some text in, or attach a file with -f.", CliError.Usage);

        var instance = await CliInstances.FindAsync(run.Sidecar, instanceName).ConfigureAwait(false);
        var model = await CliInstances.ModelAsync(run.Sidecar, instance, modelId).ConfigureAwait(false);
        // A mode that does not exist is refused before a chat is stored.
        var modeId = mode is null ? null : await CliModes.IdAsync(run.Sidecar, mode).ConfigureAwait(false);
        StartTimings.Mark("instance and model chosen");
        var session = await run.Sidecar.CallAsync(Contract.SessionCreate, new SessionCreateParams
        {
            InstanceId = instance.Id,
            ModelId = model,
            Title = Title(text.Length > 0 ? text : attachments[0].Path),
            SystemPrompt = system,
            // The instance's own default (or first listed) model needs no check against the provider's list: asking
            // for that list is a round trip on every cold start. A model typed with -m is checked.
            AllowUnlisted = string.IsNullOrWhiteSpace(modelId),
        }, run.Cancellation).ConfigureAwait(false);

        if (modeId is not null) await run.Sidecar.CallAsync(Contract.SessionSetMode, new SessionSetModeParams { Id = session.Id, Mode = modeId }).ConfigureAwait(false);
        StartTimings.Mark("chat created");
        var answer = await CliTurn.SendAsync(run, instance, session.Id,
            ct => run.Sidecar.CallAsync(Contract.SessionSend, new SessionSendParams { SessionId = session.Id, Text = text, Attachments = attachments }, ct), run.Cancellation).ConfigureAwait(false);
        StartTimings.Mark("answer complete");
        if (!run.Json) CliModes.WritePlan(run, answer, $"Carry it out with: plue chat {session.Slug} (then /start)");
        if (run.Json)
        {
            var stored = await run.Sidecar.CallAsync(Contract.SessionGet, new IdParams { Id = session.Id }).ConfigureAwait(false);
            CliJson.Write(run.Terminal.Out, ("session", CliJson.Value(stored, PlueJsonContext.Default.Session)),
                ("message", CliJson.Value(answer, PlueJsonContext.Default.SessionMessage)));
        }
        return CliTurn.ExitCode(run, answer, instance);
    }

    /// <summary>The question, then what was piped in, a blank line apart.</summary>
    internal static string Question(string? prompt, string? piped)
    {
        var parts = new[] { prompt?.Trim(), piped?.TrimEnd() }.Where(p => !string.IsNullOrEmpty(p));
        return string.Join("\n\n", parts);
    }

    internal static string Title(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= TitleLength ? line : line[..(TitleLength - 1)] + "…";
    }

    /// <summary>Stdin as text, read no further than <see cref="MaxPipedBytes"/>: a stream without end (60 MB, /dev/zero) is refused, never held.</summary>
    private static async Task<string> PipedAsync(CliTerminal terminal, CancellationToken cancellationToken)
    {
        await using var stdin = terminal.OpenInput();
        var bytes = new byte[MaxPipedBytes + 1];
        var length = 0;
        int read;
        while (length < bytes.Length && (read = await stdin.ReadAsync(bytes.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0) length += read;
        if (length > MaxPipedBytes)
        {
            throw new CliError($"The input piped to plue ask is over {MaxPipedBytes / (1024 * 1024)} MiB, more than a question carries. "
                + $"Save it to a file and attach the part that matters with -f <file> (up to {MaxFileBytes / (1024 * 1024)} MiB a file), or pipe in less.", CliError.Usage);
        }
        var text = bytes.AsSpan(0, length);
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];
        return System.Text.Encoding.UTF8.GetString(text);
    }

    /// <summary>A regular file of up to <see cref="MaxFileBytes"/>: a FIFO is never waited on, a device (/dev/zero) never read.</summary>
    private static Attachment Attach(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full) && !Directory.Exists(full)) throw new RegularFileException("it does not exist");
            return new Attachment { Kind = AttachmentKind.File, Path = path, Content = RegularFile.ReadText(full, MaxFileBytes) };
        }
        catch (RegularFileException e)
        {
            throw new CliError($"Cannot attach '{path}': {e.Message}. -f attaches a regular file of up to {MaxFileBytes / (1024 * 1024)} MiB; "
                + "save what a pipe or a device gives to a file first, or attach the part that matters.", CliError.Usage);
        }
    }
}
