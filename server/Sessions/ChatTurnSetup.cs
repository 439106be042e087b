using Microsoft.Extensions.Logging;
using Plue.Codex.Prompts;
using Plue.Customizations;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;
using Plue.Rpc;
using Plue.Transcripts;
using Plue.Turns;
using Plue.Workspace;

namespace Plue.Sessions;

/// <summary>What a command's front matter changes for its turn: the model (when the chat's instance offers it), the mode (when it names one), the tools (narrowed to its list).</summary>
public sealed record ChatTurnOverride(string? ModelId, ModeSettings? Mode, IReadOnlyList<string>? Tools);

/// <summary>A user's message ready for its turn: the text sent (a command's body), what the command changes and shows, and the chat's first title when it takes one.</summary>
public sealed record ChatMessageTurn(string Text, ChatTurnOverride? Override, CommandUse? Command, string? ProvisionalTitle);

/// <summary>
/// What a chat's turn is told and with which model: its mode, its model (the mode's agent file's, a command's), its
/// instructions (system prompt, context files, the mode's prompt, the instructions files), and <c>/compact</c>.
/// </summary>
public sealed partial class ChatTurnSetup(SessionService sessions, MessageStore messages, PromptLibrary prompts, ChatModes modes, TranscriptCompaction compaction,
    WorkspaceContext workspace, CustomizationRegistry customizations, InstanceChecks checks, TurnInstructions instructionFiles, InstanceResolver resolver, ChatPlans plans, CustomCommandGate commandGate, ILogger<ChatTurnSetup> logger)
{
    /// <summary>Starts a plan: the chat goes into <paramref name="modeId"/> (Agent by default), the plan is marked started; the chat and the message that carries it are returned.</summary>
    public async Task<(string ChatId, string Handoff)> StartPlanAsync(string sessionId, string? messageId, string? modeId, CancellationToken cancellationToken)
    {
        var session = sessions.Record(sessionId);
        if (ChatStatuses.IsArchived(session.Status)) throw RpcException.InvalidParams("The chat is archived; unarchive it to continue");
        var (message, plan) = plans.Find(session.Id, messageId)
            ?? throw RpcException.InvalidParams(messageId is null ? "This chat has no plan to start; ask for one in Plan mode first" : "That message has no plan to start; pick the answer that ends with the checklist");
        if (plan.StartedMode is not null) throw RpcException.InvalidParams("This plan was started already; its steps tick off in this chat as the agent does them");
        var target = modes.Find(modeId ?? ChatModes.Agent) ?? throw RpcException.InvalidParams($"mode: '{modeId}' is not a chat mode; pick one the chat's mode picker offers");
        if (target.Plans) throw RpcException.InvalidParams($"mode: {target.Name} only plans and changes nothing; start the plan in Agent mode or another mode that works");
        await sessions.SetModeAsync(new SessionSetModeParams { Id = session.Id, Mode = target.Id }, cancellationToken).ConfigureAwait(false);
        return (session.Id, ChatPlans.Handoff(await plans.StartAsync(message, plan, target.Id).ConfigureAwait(false)));
    }

    /// <summary>
    /// The user's message as its turn sends it. A command from a file (/name args) sends its body with the arguments put
    /// in, and its front matter applies to this turn: expanded when the message is sent, a queued one too (the file may
    /// have changed meanwhile). A chat still called by the default name takes its first question as its title (as typed:
    /// "/review parser.cs", not the command's body), then, after the first answer, a summary of the exchange.
    /// </summary>
    public async Task<ChatMessageTurn> MessageAsync(string sessionId, string text, CancellationToken cancellationToken)
    {
        var typed = text;
        ChatTurnOverride? turnOverride = null;
        CommandUse? command = null;
        // One whose file appeared or changed during the session runs once the user allowed it; else sent as typed.
        if (CustomCommands.Find(customizations.Commands, text) is var (found, arguments))
        {
            if (await commandGate.AllowedAsync(found, sessionId, null, cancellationToken).ConfigureAwait(false))
            {
                (turnOverride, command) = await CommandTurnAsync(sessions.Record(sessionId), found, arguments, cancellationToken).ConfigureAwait(false);
                text = CustomCommands.Expand(found.Body, arguments);
            }
            else command = new CommandUse { Name = found.Name, Arguments = arguments.Length > 0 ? arguments : null, Source = found.Source, Notes = [CustomCommandGate.NotRun] };
        }
        var session = sessions.Record(sessionId);
        // A queued message waits for its turn: the chat may have been archived meanwhile.
        if (ChatStatuses.IsArchived(session.Status)) throw RpcException.InvalidParams("The chat is archived; unarchive it to continue");
        var provisional = session.Title == SessionService.DefaultTitle && messages.NextSeq(sessionId) == 0 && !string.IsNullOrWhiteSpace(text)
            ? sessions.Rename(sessionId, ChatTitles.FromQuestion(typed)).Title
            : null;
        return new ChatMessageTurn(text, turnOverride, command, provisional);
    }

    /// <summary>The message's parts: its text, then its attachments.</summary>
    public static List<MessagePart> UserParts(ChatMessageTurn message, IReadOnlyList<Attachment>? attachments) =>
        [new TextPart { Id = TranscriptIds.New(), Text = message.Text, Command = message.Command }, .. (attachments ?? []).Select(AttachmentPart)];

    /// <summary>Compacts the chat now (<c>/compact [focus]</c>), with the instructions a turn would send, so the summary keeps the instructions files' lines verbatim too.</summary>
    public Task<SessionMessage> CompactNowAsync(CodexRecord record, string? focus, CancellationToken cancellationToken)
    {
        var modelId = sessions.ModelId(record) ?? throw RpcException.InvalidParams("The chat has no model, and its provider no default model");
        var (_, files, earlier) = TurnFiles(record, [], null, null);
        var instructions = TurnInstructions.Join(Instructions(record, Mode(record), files), SentInstructions.Prompt(earlier));
        return compaction.CompactAsync(record.Id, resolver.Resolve(sessions.InstanceId(record)), CompactionModel(record) ?? modelId, instructions, focus?.Trim(), cancellationToken);
    }

    public ModeSettings? Mode(CodexRecord record) =>
        ChatRecordFields.Of(record.Fields).Mode is { } modeId ? modes.Find(modeId) : null;

    /// <summary>
    /// The instructions files a turn starts with: those of the files in play (<see cref="ChatInstructions.Files"/>), then
    /// the scoped ones that tool calls of the chat's earlier turns brought in (Earlier); Sent holds both.
    /// </summary>
    public (SentInstructions Sent, IReadOnlyList<InstructionsFile> Files, IReadOnlyList<InstructionsFile> Earlier) TurnFiles(CodexRecord record, IEnumerable<MessagePart> user,
        ICollection<string>? skipped, IDictionary<string, string>? why)
    {
        var transcript = messages.Messages(record.Id);
        var files = ChatInstructions.Files(record, transcript, user, workspace, customizations, skipped, why);
        var sent = new SentInstructions(files);
        return (sent, files, ChatInstructions.Used(record) ? instructionFiles.Touched(sent, transcript, null, skipped, why) : []);
    }

    /// <summary>What a turn sends as instructions, and compaction keeps verbatim: the system prompt, the mode's and the instructions files'.</summary>
    public string? Instructions(CodexRecord record, ModeSettings? mode, IReadOnlyList<InstructionsFile> files) =>
        TurnInstructions.Join(SystemPrompt(record), mode?.SystemPrompt, InstructionsFiles.Prompt(files));

    /// <summary>The model that writes the chat's summaries: its <c>compaction_model</c>; null: the turn's.</summary>
    public static string? CompactionModel(CodexRecord record) =>
        ChatRecordFields.Of(record.Fields).CompactionModel?.Trim() is { Length: > 0 } model ? model : null;

    /// <summary>The turn a command asks for, and what the chat shows of it (each change, and each request that could not apply with why).</summary>
    public async Task<(ChatTurnOverride, CommandUse)> CommandTurnAsync(CodexRecord session, CustomCommand command, string arguments, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        string? model = null;
        if (command.Model is { } wanted && wanted != sessions.ModelId(session))
        {
            try
            {
                await checks.RequireOfferedAsync(sessions.InstanceId(session), wanted, allowUnlisted: false, cancellationToken, "change the command's model").ConfigureAwait(false);
                model = wanted;
                notes.Add($"model {wanted}");
            }
            catch (RpcException)
            {
                notes.Add($"model {wanted} is not one the chat's provider offers; this turn uses {sessions.ModelId(session)}");
            }
        }
        ModeSettings? mode = null;
        if (command.Mode is { } modeName)
        {
            mode = modes.Named(modeName);
            notes.Add(mode is null ? $"mode {modeName} is not a chat mode here; this turn keeps the chat's" : $"mode {mode.Name}");
        }
        IReadOnlyList<string>? tools = null;
        if (command.Tools is { } named)
        {
            tools = CustomCommands.PlueTools(named);
            notes.Add(tools.Count == 0 ? "no tools (none of its tools is one Plue has)" : $"tools only {string.Join(", ", tools)}");
        }
        var use = new CommandUse { Name = command.Name, Arguments = arguments.Length > 0 ? arguments : null, Source = command.Source, Notes = notes.Count > 0 ? notes : null };
        return (new ChatTurnOverride(model, mode, tools), use);
    }

    /// <summary>An agent file's model, for a chat in its mode, when the chat's instance offers it; null otherwise (the chat's model, and the log says why).</summary>
    public async Task<string?> AgentModelAsync(CodexRecord record, ModeSettings? mode, CancellationToken cancellationToken)
    {
        if (mode?.PreferredModel is not { } wanted || wanted == sessions.ModelId(record)) return null;
        try
        {
            await checks.RequireOfferedAsync(sessions.InstanceId(record), wanted, allowUnlisted: false, cancellationToken, "change the agent file's model").ConfigureAwait(false);
            return wanted;
        }
        catch (RpcException e)
        {
            LogAgentModelNotOffered(mode.Name, wanted, e.Message);
            return null;
        }
    }

    /// <summary>The chat's system prompt, then the text of its context files (each turn sees them as they are now).</summary>
    private string? SystemPrompt(CodexRecord session)
    {
        var fields = ChatRecordFields.Of(session.Fields);
        var prompt = fields.SystemPromptOverride ?? PromptFile(fields);
        var files = fields.ContextFiles.Select(ContextFile).OfType<string>().ToList();
        if (files.Count == 0) return prompt;
        return string.Join("\n\n", new[] { prompt, "The user keeps these files in this conversation's context:" }.OfType<string>().Concat(files));
    }

    private string? PromptFile(ChatRecordFields chat)
    {
        if (chat.SystemPromptRef is not { } reference) return null;
        try
        {
            return prompts.Get(reference).Content;
        }
        catch (RpcException e)
        {
            // A missing prompt file must not stop the chat; the log says why the model has none.
            LogPromptMissing(reference, e.Message);
            return null;
        }
    }

    /// <summary>A context file as the model reads it, from inside a workspace folder only; null (and a log line) when it cannot be read.</summary>
    private string? ContextFile(string reference)
    {
        const int MaxBytes = 256 * 1024;
        try
        {
            if (reference.StartsWith(Codex.References.CodexReference.Scheme, StringComparison.Ordinal))
                return AttachedFile.Text(new FilePart { Id = "", Path = reference, Content = prompts.Get(reference).Content });
            foreach (var folder in workspace.Folders)
            {
                if (Codex.Content.ConfinedPath.Resolve(folder, reference) is not { } path || !File.Exists(path)) continue;
                return AttachedFile.Text(new FilePart { Id = "", Path = reference, Content = Codex.Content.ContentFile.Read(folder, reference, MaxBytes) });
            }
            throw new FileNotFoundException("not found inside a workspace folder");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RpcException or Codex.Content.ContentFileException)
        {
            LogContextFileSkipped(reference, e.Message);
            return null;
        }
    }

    private static FilePart AttachmentPart(Attachment a) => new()
    {
        Id = TranscriptIds.New(),
        Path = a.Path,
        Content = a.Kind == AttachmentKind.Image ? a.Data : a.Content,
        Language = a.Language,
        Range = a.Range,
        MimeType = a.MimeType,
        Note = a.Note,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent mode {Mode}: its model {Model} is not one the chat's provider offers ({Reason}); the turn uses the chat's model")]
    private partial void LogAgentModelNotOffered(string mode, string model, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Context file {Reference} is left out of the turn: {Reason}")]
    private partial void LogContextFileSkipped(string reference, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "System prompt {Reference} cannot be read ({Reason}); the chat goes on without it")]
    private partial void LogPromptMissing(string reference, string reason);
}
