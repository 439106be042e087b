using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Agents.Hooks;

/// <summary>
/// Runs an event's agent hooks as Claude Code does (docs/CUSTOMIZATIONS.md, Agent hooks): each used hook of the event
/// (PreToolUse and PostToolUse: whose matcher takes the tool) gets the event's JSON on stdin; exit 0 goes on (its
/// stdout is context at UserPromptSubmit and SessionStart), 2 blocks with its stderr, any other code is a warning
/// shown and the turn goes on; one past its time limit is killed and reported. Each runs under the sandbox policy of
/// the chat or task it belongs to. A workspace's hooks run only in a
/// trusted workspace; on a Claude Code backend, Claude Code's settings files' hooks are left to it.
/// </summary>
public sealed partial class AgentHookDispatch(CustomizationRegistry customizations, WorkspaceContext workspace, AgentHookRunner runner, ILogger<AgentHookDispatch> logger,
    Rpc.JsonRpcPeer? peer = null, Sandbox.SandboxContext? sandbox = null, Containers.ContainerPlaces? containers = null) : IAgentHooks
{
    private const int MaxCommandChars = 80;
    private const int MaxShownChars = 20_000;

    /// <summary>The tool <c>permission/request</c> names when a hook whose file appeared or changed during the session would first run.</summary>
    public const string Tool = "agent_hook";

    /// <summary>What the user allowed to run since (a hook's <see cref="AgentHook.Fingerprint"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _allowed = new(StringComparer.Ordinal);

    public async Task<AgentHookOutcome> RunAsync(AgentHookCall call, CancellationToken cancellationToken)
    {
        var hooks = customizations.Hooks.Where(h => h.Event == call.Event
            && (h.Scope == CustomizationScope.User || workspace.Trusted)
            && !(call.ClaudeCode && h.Layout == AgentHook.ClaudeLayout)
            && (call.Tool is null || h.Matches(call.Tool))).ToList();
        if (hooks.Count == 0) return AgentHookOutcome.None;
        var folder = call.Folders?.FirstOrDefault() ?? workspace.Folders.FirstOrDefault() ?? workspace.Home;
        var stdin = Input(call, folder);
        // Under the chat's or task's policy, as its bash calls and MCP servers: a hook is a child of the same tree.
        var policy = Sandbox.SandboxAllowances.Take(call.SessionId, call.Sandbox ?? sandbox?.Workspace ?? Sandbox.SandboxPolicy.Off);
        var notices = new List<HookPart>();
        var context = new List<string>();
        foreach (var hook in hooks)
        {
            // A hook whose file appeared or changed since the session began (the agent may have written it) runs only
            // once the user has seen its file and allowed it.
            if (!await AllowedAsync(hook, call, cancellationToken).ConfigureAwait(false))
            {
                var shortCommand = hook.Command.Length <= MaxCommandChars ? hook.Command : hook.Command[..MaxCommandChars] + "…";
                notices.Add(new HookPart
                {
                    Id = TranscriptIds.New(), Event = call.Event, Command = shortCommand, Outcome = "warning",
                    Text = $"The hook was not run: {Shown(hook.Source)} appeared or changed during this session and you did not allow it. Review the file; it is asked again at the next message.",
                });
                continue;
            }
            var (container, noContainer) = await ContainerAsync(call, policy, folder, cancellationToken).ConfigureAwait(false);
            var run = noContainer is not null ? new AgentHookRun(null, "", "", false, noContainer)
                : container is not null ? await InContainerAsync(container, hook, stdin, policy, cancellationToken).ConfigureAwait(false)
                : await runner.RunAsync(hook.Command, folder, stdin, TimeSpan.FromSeconds(hook.TimeoutSeconds), policy, cancellationToken, sandbox?.PlueHome).ConfigureAwait(false);
            var command = hook.Command.Length <= MaxCommandChars ? hook.Command : hook.Command[..MaxCommandChars] + "…";
            HookPart Notice(string outcome, string text, string? forModel = null) =>
                new() { Id = TranscriptIds.New(), Event = call.Event, Command = command, Outcome = outcome, Text = text, Context = forModel };
            // What the sandbox refused the hook is shown, whatever the hook did next.
            // A card as a call's denial, with "Allow this once" and "Always for this workspace" (Agents.Tools.SandboxRetries).
            if (run.Denials.Count > 0)
                notices.Add(Notice("sandbox", $"The sandbox denied the hook: {string.Join("; ", run.Denials.Select(d => d.Kind == Sandbox.SandboxDenial.Host ? $"connecting to {d.What}" : $"writing {d.What}"))}.") with
                {
                    SandboxDenials = Plue.Sandbox.SandboxDenial.Info(run.Denials), SandboxPolicy = policy.Describe(),
                });
            if (run.NotStarted is { } why)
            {
                LogHookNotStarted(call.Event, why);
                notices.Add(Notice("warning", $"The hook could not start: {why}"));
            }
            else if (run.TimedOut)
            {
                LogHookTimedOut(call.Event, hook.TimeoutSeconds);
                notices.Add(Notice("timeout", $"The hook ran past its limit of {hook.TimeoutSeconds} s and was stopped, with everything it started; the turn went on."));
            }
            else if (run.ExitCode == 2)
            {
                var feedback = run.Stderr.Trim() is { Length: > 0 } said ? said : $"The {call.Event} hook '{command}' blocked it (exit code 2) without saying why.";
                notices.Add(Notice("blocked", feedback));
                return new AgentHookOutcome(true, feedback, Join(context), notices);
            }
            else if (run.ExitCode != 0)
            {
                var said = run.Stderr.Trim() is { Length: > 0 } e ? $": {e}" : "";
                notices.Add(Notice("warning", $"The hook exited with code {run.ExitCode}; the turn went on{said}"));
            }
            else if (call.Event is "UserPromptSubmit" or "SessionStart" && run.Stdout.Trim() is { Length: > 0 } added)
            {
                context.Add(added);
                notices.Add(Notice("context", added, added));
            }
        }
        return new AgentHookOutcome(false, null, Join(context), notices);
    }

    /// <summary>The container the chat's or task's commands run in, where its hooks run too; null: on this machine.</summary>
    /// <returns>The container, or why the one it should run in could not be had (the hook is then not run).</returns>
    private async Task<(Containers.TaskContainer? Container, string? Why)> ContainerAsync(AgentHookCall call, Sandbox.SandboxPolicy policy, string folder,
        CancellationToken cancellationToken)
    {
        if (containers is null) return (null, null);
        try
        {
            return (await containers.ForAsync(call.SessionId, policy, folder, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is Engines.EngineException or Rpc.RpcException)
        {
            return (null, $"its chat's commands run in a container, which could not be made: {e.Message}");
        }
    }

    /// <summary>
    /// A hook's command in the container (docs/CONTAINERS.md, Hooks inside): its output capped as here; nothing to
    /// scrub, since the container's environment holds no secret. A script it names outside the mounted folder is not
    /// there: a hook that could not find its command says so.
    /// </summary>
    private static async Task<AgentHookRun> InContainerAsync(Containers.TaskContainer container, AgentHook hook, string stdin, Sandbox.SandboxPolicy policy,
        CancellationToken cancellationToken)
    {
        (int? Exit, string Stdout, string Stderr) ran;
        try
        {
            ran = await container.HookAsync(hook.Command, stdin, TimeSpan.FromSeconds(hook.TimeoutSeconds), policy, AgentHookRunner.MaxOutputChars, cancellationToken).ConfigureAwait(false);
        }
        catch (Engines.EngineException e)
        {
            return new AgentHookRun(null, "", "", false, $"it could not run in the container on {container.Info.Engine}: {e.Message}");
        }
        catch (Agents.Tools.ToolException e)
        {
            return new AgentHookRun(null, "", "", false, e.Message); // its container was stopped under it (a spend cap)
        }
        var stderr = ran.Stderr;
        var outside = AgentHookRunner.NamedFiles(hook.Command).Where(f => !f.StartsWith(container.Folder.TrimEnd('/') + "/", StringComparison.Ordinal)).ToList();
        if (ran.Exit is 126 or 127 && outside.Count > 0)
            stderr += $"\n(The hook runs in its container on {container.Info.Engine}, which holds only its folder and the image {container.Info.Image}: " +
                $"{string.Join(", ", outside)} is not there. Keep the hook's script in the workspace, as .claude/hooks/, or in the image.)";
        return new AgentHookRun(ran.Exit, ran.Stdout, stderr, ran.Exit is null);
    }

    /// <summary>
    /// Whether <paramref name="hook"/> may run: as it was when the session began, or allowed by the user since; else the
    /// user is asked (<c>permission/request</c>, tool <see cref="Tool"/>, the file's text shown). No one to ask: it does not run.
    /// </summary>
    private async Task<bool> AllowedAsync(AgentHook hook, AgentHookCall call, CancellationToken cancellationToken)
    {
        if (customizations.KnownFromStart(hook, out var fingerprint) || _allowed.ContainsKey(fingerprint)) return true;
        if (peer is null) return false;
        string text;
        try
        {
            text = File.ReadAllText(hook.Source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            text = "";
        }
        var input = new JsonObject
        {
            ["path"] = Shown(hook.Source),
            ["command"] = hook.Command,
            ["event"] = hook.Event,
            ["content"] = text.Length <= MaxShownChars ? text : text[..MaxShownChars] + "…",
        };
        try
        {
            var answer = await peer.RequestAsync(Contract.PermissionRequest, new PermissionRequestParams
            {
                SessionId = call.SessionId,
                Tool = Tool,
                Input = System.Text.Json.JsonDocument.Parse(input.ToJsonString()).RootElement.Clone(),
                Reason = $"{Shown(hook.Source)} appeared or changed during this session (the agent may have written it): run its {hook.Event} hook '{hook.Command}'?",
            }, cancellationToken).ConfigureAwait(false);
            if (answer?.Decision is not ("allow" or "allowAlways")) return false;
            _allowed[fingerprint] = true;
            return true;
        }
        catch (Exception e) when (e is Rpc.RpcException or IOException or System.Text.Json.JsonException or InvalidOperationException)
        {
            LogHookNotAsked(call.Event, e.Message);
            return false;
        }
    }

    /// <summary>A hooks file as the user knows it: inside its workspace folder, or <c>~/…</c>.</summary>
    private string Shown(string path)
    {
        foreach (var folder in workspace.Folders)
            if (path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal)) return Path.GetRelativePath(folder, path);
        return CustomizationRegistry.UserHome is { } home && path.StartsWith(home.TrimEnd('/') + "/", StringComparison.Ordinal) ? "~/" + Path.GetRelativePath(home, path) : path;
    }

    /// <summary>Claude Code's hook input: the fields every event has, then the event's own.</summary>
    private static string Input(AgentHookCall call, string folder)
    {
        var input = new JsonObject
        {
            ["session_id"] = call.SessionId,
            ["cwd"] = folder,
            ["hook_event_name"] = call.Event,
            ["permission_mode"] = "default",
        };
        if (call.Tool is { } tool)
        {
            input["tool_name"] = AgentHook.HookToolName(tool);
            input["tool_input"] = HookToolInput(call.ToolInput);
        }
        if (call.ToolResponse is { } response) input["tool_response"] = response.DeepClone();
        if (call.Prompt is { } prompt) input["prompt"] = prompt;
        if (call.Event == "Stop") input["stop_hook_active"] = call.StopHookActive;
        if (call.Event == "SessionStart") input["source"] = "startup";
        return input.ToJsonString();
    }

    /// <summary>The call's input as written, with Claude Code's <c>file_path</c> beside Plue's <c>path</c> (hooks read that).</summary>
    private static JsonNode? HookToolInput(JsonNode? input)
    {
        if (input?.DeepClone() is not JsonObject copy) return input?.DeepClone();
        if (copy["path"] is JsonValue path && copy["file_path"] is null) copy["file_path"] = path.DeepClone();
        return copy;
    }

    private static string? Join(List<string> texts) => texts.Count == 0 ? null : string.Join("\n\n", texts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An agent hook of {HookEvent} could not start: {Reason}")]
    private partial void LogHookNotStarted(string hookEvent, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A changed agent hook of {HookEvent} was not run: the user could not be asked ({Reason})")]
    private partial void LogHookNotAsked(string hookEvent, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An agent hook of {HookEvent} ran past its limit of {Seconds} s and was stopped")]
    private partial void LogHookTimedOut(string hookEvent, int seconds);
}
