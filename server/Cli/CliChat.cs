using System.Globalization;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary>One interactive chat: the session, its instance, and what each line typed does.</summary>
internal sealed class CliChat(CliRun run)
{
    private Session? _session;
    private ProviderInstance? _instance;
    private string? _pendingSystem;
    private string? _model;
    /// <summary>The mode a new chat goes into once it is stored (with its first question).</summary>
    private string? _pendingMode;

    /// <summary>Puts the chat in the mode named (<c>--mode</c>, <c>/mode</c>); a new chat takes it with its first question.</summary>
    public async Task ModeAsync(string name)
    {
        var id = await CliModes.IdAsync(run.Sidecar, name).ConfigureAwait(false);
        if (_session is null) _pendingMode = id;
        else await run.Sidecar.CallAsync(Contract.SessionSetMode, new SessionSetModeParams { Id = _session.Id, Mode = id }).ConfigureAwait(false);
        run.Terminal.Line($"Mode: {name}.", "grey");
    }

    public async Task NewAsync(string? instanceName, string? model, string? system)
    {
        _instance = await CliInstances.FindAsync(run.Sidecar, instanceName).ConfigureAwait(false);
        var modelId = await CliInstances.ModelAsync(run.Sidecar, _instance, model).ConfigureAwait(false);
        _pendingSystem = system;
        // The chat is stored with its first question, titled by it.
        run.Terminal.Line($"New chat with {modelId} on {_instance.DisplayName}.", "grey");
        _model = modelId;
    }

    public async Task OpenAsync(string name)
    {
        _session = await CliSessions.FindAsync(run.Sidecar, name).ConfigureAwait(false);
        _instance = (await CliInstances.ListAsync(run.Sidecar).ConfigureAwait(false)).FirstOrDefault(i => i.Id == _session.InstanceId)
            ?? throw new CliError($"The chat's provider instance is gone: pick another with `/model <id> <instance>` after opening, or start a new chat.");
        _model = _session.ModelId;
        var messages = await CliSessions.MessagesAsync(run.Sidecar, _session.Id).ConfigureAwait(false);
        run.Terminal.Out.Write(TranscriptMarkdown.Write(_session, [.. messages.TakeLast(6)]));
    }

    public async Task HandleAsync(string line, CancellationToken stop)
    {
        try
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words[0])
            {
                case "/help":
                    run.Terminal.Line("/model <id> [instance] · /mode <name> · /start [mode] · /fork · /regenerate · /cost · /exit", "grey");
                    foreach (var file in await CommandFilesAsync().ConfigureAwait(false))
                        run.Terminal.Line($"/{file.Name}{(file.Description is { } d ? $" · {d}" : "")}", "grey");
                    return;
                case "/cost":
                    await CostAsync().ConfigureAwait(false);
                    return;
                case "/model" when words.Length >= 2:
                    await ModelAsync(words[1], words.Length > 2 ? string.Join(' ', words[2..]) : null).ConfigureAwait(false);
                    return;
                case "/mode" when words.Length >= 2:
                    await ModeAsync(string.Join(' ', words[1..])).ConfigureAwait(false);
                    return;
                case "/start" when _session is not null:
                    // The latest plan, carried out in Agent mode (or the mode named) in this chat.
                    var mode = words.Length > 1 ? await CliModes.IdAsync(run.Sidecar, string.Join(' ', words[1..])).ConfigureAwait(false) : null;
                    await TurnAsync(ct => run.Sidecar.CallAsync(Contract.SessionStartPlan, new SessionStartPlanParams { SessionId = _session.Id, Mode = mode }, ct), stop).ConfigureAwait(false);
                    return;
                case "/fork":
                    await ForkAsync().ConfigureAwait(false);
                    return;
                case "/regenerate" when _session is not null:
                    await TurnAsync(ct => run.Sidecar.CallAsync(Contract.SessionRegenerate, new SessionIdParams { SessionId = _session.Id }, ct), stop).ConfigureAwait(false);
                    return;
                case var command when command.StartsWith('/') && !await IsCommandFileAsync(command[1..]).ConfigureAwait(false):
                    run.Terminal.Error.WriteLine($"plue: {command} is no command here (or needs a chat first); /help lists them.");
                    return;
            }
            _session ??= await run.Sidecar.CallAsync(Contract.SessionCreate, new SessionCreateParams
            {
                InstanceId = _instance!.Id, ModelId = _model!, Title = AskCommand.Title(line), SystemPrompt = _pendingSystem,
            }).ConfigureAwait(false);
            var id = _session.Id;
            if (_pendingMode is { } pending)
            {
                await run.Sidecar.CallAsync(Contract.SessionSetMode, new SessionSetModeParams { Id = id, Mode = pending }).ConfigureAwait(false);
                _pendingMode = null;
            }
            await TurnAsync(ct => run.Sidecar.CallAsync(Contract.SessionSend, new SessionSendParams { SessionId = id, Text = line }, ct), stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CliError or Rpc.RpcException)
        {
            // The chat goes on: a refused line is told, not fatal.
            run.Terminal.Error.WriteLine($"plue: {e.Message}");
        }
    }

    /// <summary>The used commands from files (docs/CUSTOMIZATIONS.md): typed as /name, the sidecar sends the command's body.</summary>
    private async Task<IEnumerable<CustomizationItem>> CommandFilesAsync() =>
        (await run.Sidecar.CallAsync(Contract.CustomizationsList, new EmptyParams()).ConfigureAwait(false)).Items
            .Where(i => i.Kind == CustomizationKind.Command && i.Status == CustomizationStatus.Used);

    private async Task<bool> IsCommandFileAsync(string name) => (await CommandFilesAsync().ConfigureAwait(false)).Any(i => i.Name == name);

    private async Task TurnAsync(Func<CancellationToken, Task<SessionMessage>> send, CancellationToken stop)
    {
        using var keys = run.Interrupt.WatchKeys(run.Terminal);
        var answer = await CliTurn.SendAsync(run, _instance!, _session!.Id, send, stop).ConfigureAwait(false);
        if (answer.Status == MessageStatus.Complete)
        {
            CliModes.WritePlan(run, answer, "/start hands the plan to Agent mode (/start <mode> to another).");
            return;
        }
        if (answer.Status is MessageStatus.Cancelled or MessageStatus.Interrupted) run.Terminal.Line("(stopped)", "grey");
        else CliTurn.ExitCode(run, answer, _instance!);
    }

    private async Task ModelAsync(string modelId, string? instanceName)
    {
        if (instanceName is not null) _instance = await CliInstances.FindAsync(run.Sidecar, instanceName).ConfigureAwait(false);
        _model = modelId;
        if (_session is not null)
            _session = await run.Sidecar.CallAsync(Contract.SessionSetModel, new SessionSetModelParams { Id = _session.Id, InstanceId = _instance!.Id, ModelId = modelId }).ConfigureAwait(false);
        run.Terminal.Line($"Now {modelId} on {_instance!.DisplayName}.", "grey");
    }

    private async Task ForkAsync()
    {
        if (_session is null) throw new CliError("Nothing to fork yet: say something first.");
        var last = (await run.Sidecar.CallAsync(Contract.SessionMessages, new SessionMessagesParams { Id = _session.Id, Limit = 1 }).ConfigureAwait(false)).Messages;
        if (last.Count == 0) throw new CliError("Nothing to fork yet: say something first.");
        _session = await run.Sidecar.CallAsync(Contract.SessionFork, new SessionForkParams { SessionId = _session.Id, MessageId = last[0].Id }).ConfigureAwait(false);
        run.Terminal.Line($"Forked: you are now in \"{_session.Title}\"; the original stays as it was.", "grey");
    }

    private async Task CostAsync()
    {
        if (_session is null)
        {
            run.Terminal.Line("Nothing spent yet.", "grey");
            return;
        }
        var session = await run.Sidecar.CallAsync(Contract.SessionGet, new IdParams { Id = _session.Id }).ConfigureAwait(false);
        var u = session.Usage;
        var context = session.ContextWindow is { } window ? $" · context {session.ContextTokens.ToString(CultureInfo.InvariantCulture)} of {window.ToString(CultureInfo.InvariantCulture)}" : "";
        run.Terminal.Line($"{u.Input.ToString(CultureInfo.InvariantCulture)} in, {u.Output.ToString(CultureInfo.InvariantCulture)} out · {CliFormat.Cost(session.CostUsd, session.CostSources)}{context}");
    }
}
