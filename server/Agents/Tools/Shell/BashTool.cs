using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Plue.Agents.Containers;
using Plue.Agents.Tools.Files;
using Plue.Engines;
using Plue.Codex.Content;
using Plue.Processes;
using Plue.Providers;
using Plue.Sandbox;

namespace Plue.Agents.Tools.Shell;

/// <summary>
/// <c>bash</c>: runs a command with <c>/bin/bash -c</c> in the first workspace folder, without the sidecar's secrets in
/// its environment. On timeout or interrupt the command and everything it started are killed; the output is capped,
/// and scrubbed of every credential the command was given (the values of the variables whose names hold one, that
/// <c>PLUE_CHILD_ENV</c> let through: <see cref="ChildEnvironment.IsSecretName"/>) in every form a provider error is
/// scrubbed of (<see cref="ProviderSecrets"/>) before it is stored, shown or sent to a model.
/// </summary>
public sealed class BashTool(Func<IReadOnlyDictionary<string, string?>> environment) : IAgentTool, IDescribesCall
{
    public const int MaxOutputChars = 30_000;
    /// <summary>How long a secret's longest scrubbed form may be and still be scrubbed where the output is cut.</summary>
    private const int SecretMargin = 8_192;
    public const int DefaultTimeoutMs = 120_000;

    /// <summary>How long the output may stay open after the command ended before what holds it is stopped.</summary>
    private static readonly TimeSpan s_outputGrace = TimeSpan.FromSeconds(1);

    /// <summary>How long output left in the pipes may take to be read once no process of the command is left.</summary>
    private static readonly TimeSpan s_drainGrace = TimeSpan.FromSeconds(30);

    private static readonly JsonElement s_schema = ToolSchema.Object(
        [new("command", "string", "The command line, run by /bin/bash -c in the first workspace folder.", Required: true)]);

    public BashTool() : this(ChildEnvironment.Current)
    {
    }

    public string Name => "bash";
    public string Description => $"Runs a command with /bin/bash -c in the first workspace folder and returns its output (stdout and stderr, at most {MaxOutputChars} characters: the start and the end) and exit code. It is killed, with everything it started, when it runs past the task's command timeout. Background processes that keep the output open are stopped when the command ends; redirect their output to a file to keep them.";
    public JsonElement InputSchema => s_schema;
    public bool AsksApproval => true;

    /// <summary>The chats and tasks told that their commands run unconfined here (once each: their first command).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _toldUnconfined = new(StringComparer.Ordinal);

    /// <summary>
    /// Said with the first command of a chat or task whose policy confines but where no sandbox can run (Windows, macOS
    /// for now, Ubuntu's AppArmor restriction, no bubblewrap): a card above the call's result, with how to get one,
    /// and a line the model reads. Null after the first.
    /// </summary>
    private (string Why, string? Fix)? Unconfined(string owner) =>
        Bubblewrap.Missing is { } why && _toldUnconfined.TryAdd(owner, true) ? (UnconfinedSaid(why), Bubblewrap.Fix) : null;

    /// <summary>The card's and the model's words: <paramref name="why"/> (<see cref="Bubblewrap.Missing"/>) as a sentence.</summary>
    public static string UnconfinedSaid(string why) => $"{char.ToUpperInvariant(why[0])}{why[1..]}";

    public string DescribeCall(JsonElement input) => $"Run: {ToolInput.OptionalText(input, "command")}";

    public Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var command = ToolInput.RequiredText(input, "command");
        if (string.IsNullOrWhiteSpace(command)) throw new ToolException("'command' is empty.");
        var timeoutMs = context.BashTimeoutMs > 0 ? context.BashTimeoutMs : DefaultTimeoutMs;
        return context.Container is { } container ? InContainerAsync(container, command, context, timeoutMs, cancellationToken) : HereAsync(command, context, timeoutMs, cancellationToken);
    }

    /// <summary>
    /// The command with its errors written where its output goes, one pipe in the order written: read from two pipes,
    /// a message written in parts ("touch: cannot touch 'x'", then ": Read-only file system") was split by the next
    /// command's output. On the command's own first line, so the shell's line numbers stay the command's.
    /// </summary>
    private static string OneStream(string command) => "exec 2>&1; " + command;

    /// <summary>The command on this machine, under the task's sandbox policy.</summary>
    private async Task<ToolResult> HereAsync(string command, ToolContext context, int timeoutMs, CancellationToken cancellationToken)
    {
        if (context.WorkspaceFolders.Count == 0) throw new ToolException(WorkspacePaths.NoWorkspace);
        var folder = ConfinedPath.RealPath(context.WorkspaceFolders[0]) ?? throw new ToolException($"The workspace folder {context.WorkspaceFolders[0]} does not exist.");

        var policy = context.Sandbox;
        var confined = ChildLauncher.Confines(policy);
        // Confined, the sandbox's pid namespace is the group: everything the command starts is killed with bwrap and is
        // gone once it has exited, so bwrap is started as it is (ChildCommand.Setsid) and no group is adopted.
        var grouped = !confined && ProcessGroups.Setsid is not null;
        // A run of its own through the proxy: the hosts it was refused are this call's.
        using var proxy = confined && policy.Network == SandboxNetwork.AllowList ? SandboxProxy.Start(policy.AllowedHosts) : null;
        // The sandbox's own account of what it refused, where the C bridge can watch it (SandboxWatch).
        using var watch = confined && SandboxWatch.Available ? new SandboxWatch() : null;
        var start = ProcessGroup.ShellStart(OneStream(command), folder, context.WorkspaceFolders, environment(), policy, proxy, watch: watch, plueHome: context.PlueHome);
        var secrets = new ProviderSecrets();
        secrets.Add([.. ChildEnvironment.SecretValues(start.Environment)]);

        var redirects = confined ? SandboxPlaces.GitRedirects(context.WorkspaceFolders) : [];
        // A .vscode or .envrc that is not there cannot be bound read-only (bwrap would leave an empty one): what the command makes there goes after.
        var planted = confined && policy.Files == SandboxFiles.WorkspaceWrite ? SandboxPlaces.MissingPlanted(context.WorkspaceFolders.Select(f => ConfinedPath.RealPath(f) ?? f), policy) : [];
        using var process = ChildLauncher.Start(start) ?? throw new ToolException($"Could not start {ProcessGroup.Shell}.");
        var group = grouped ? process.Id : 0;
        if (grouped) ChildProcesses.Adopt(group); // killed with the sidecar, even by SIGKILL
        try
        {
            var result = await WaitAsync(process, grouped, confined, timeoutMs, secrets.Scrub, cancellationToken).ConfigureAwait(false);
            var removed = SandboxPlaces.RemoveNewPlanted(planted, out var removedSaid);
            // The watch's socket closes when the sandbox ends, which it has (or its processes were killed).
            var report = watch is null ? null : await watch.EndAsync(SandboxWatch.EndWait).ConfigureAwait(false);
            if (report is not null) SandboxWatch.Saw(report);
            IReadOnlyList<SandboxDenial> found = !confined ? [] : report is not null ? SandboxDenials.Find(report, result.Output, proxy?.Denials ?? [], context.WorkspaceFolders)
                : SandboxDenials.Find(result.Output, proxy?.Denials ?? [], context.WorkspaceFolders);
            IReadOnlyList<SandboxDenial> denials = confined ? [.. found, .. removed] : [];
            var text = denials.Count > 0 ? result.Output + removedSaid + "\n" + SandboxDenials.Note(policy, denials, [folder, .. context.WorkspaceFolders]) : result.Output;
            if (confined && SandboxDenials.PrivateNote(policy, new SandboxPlaces(), report ?? SandboxReport.None with { Unwatched = null }, command) is { } privateNote)
                text += "\n" + privateNote;
            var output = secrets.Scrub(text);
            if (confined) output += SandboxPlaces.RemoveNewGitRedirects(context.WorkspaceFolders, redirects);
            else if (!policy.IsOff && Unconfined(context.TaskId) is { } unconfined)
                return result with { Output = $"[Not sandboxed: this command ran with your full access. {unconfined.Why}]\n{output}", Unconfined = unconfined };
            return result with { Output = output, SandboxDenials = denials };
        }
        finally
        {
            // A process the command left running (output redirected to a file) keeps the group: it dies with the sidecar.
            if (grouped && ProcessGroups.HasEnded(group)) ChildProcesses.Release(group);
        }
    }

    private static async Task<ToolResult> WaitAsync(Process process, bool grouped, bool confined, int timeoutMs, Func<string, string> scrub, CancellationToken cancellationToken)
    {
        // No input: a command that waits for some reads end-of-file instead of hanging until the timeout.
        process.StandardInput.Close();
        // The margin: a credential (in any of its scrubbed forms) split by the cut is still seen whole by the scrubber.
        var output = new CappedOutput(MaxOutputChars, SecretMargin);
        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput, output), PumpAsync(process.StandardError, output));

        using var timeout = new CancellationTokenSource(timeoutMs);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ProcessGroups.KillAll(process, grouped);
            await pumps.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            return ToolResult.Error($"{output.ToString(scrub)}\n[Timed out after {timeoutMs} ms: the command and every process it started were killed.]");
        }

        string? note = null;
        if (!await EndsWithinAsync(pumps, s_outputGrace)
            // A group with no process left (or a sandbox, whose processes all end with bwrap) has nothing holding the
            // output: the rest is only still being read (a loaded machine reads 10,000 lines slower than bash writes
            // them), so it gets longer to drain.
            && !((confined || grouped && ProcessGroups.HasEnded(process.Id)) && await EndsWithinAsync(pumps, s_drainGrace)))
        {
            ProcessGroups.KillAll(process, grouped);
            note = "[Processes the command left running in the background kept its output open and were stopped.]";
            await pumps.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        var text = output.ToString(scrub);
        var result = new StringBuilder(text);
        if (text.Length > 0 && !text.EndsWith('\n')) result.Append('\n');
        if (note is not null) result.Append(note).Append('\n');
        result.Append($"[exit code {process.ExitCode}]");
        return new ToolResult(result.ToString());
    }

    /// <summary>
    /// The command in the task's container (<c>exec</c>, its output capped as here), in the folder mounted at the same
    /// path; past the timeout its every process is killed. The container holds no secret to scrub: its environment is
    /// built for it (<see cref="TaskContainer.Environment"/>). Under an allow-list its hosts are this call's policy's,
    /// and those the proxy refused are the call's denials, as on this machine.
    /// </summary>
    private static async Task<ToolResult> InContainerAsync(TaskContainer container, string command, ToolContext context, int timeoutMs, CancellationToken cancellationToken)
    {
        var output = new CappedOutput(MaxOutputChars, SecretMargin);
        var gate = new Lock();
        int? exitCode;
        using var through = container.Network?.Start(context.Sandbox);
        try
        {
            exitCode = await container.RunAsync(OneStream(command), timeoutMs, through, (_, text) => { lock (gate) output.Append(text.AsSpan()); }, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException e)
        {
            throw new ToolException($"The command could not run in the task's container: {e.Message}");
        }
        if (exitCode is null)
            return ToolResult.Error($"{output.ToString(t => t)}\n[Timed out after {timeoutMs} ms: the command and every process it started were killed.]");
        var text = output.ToString(t => t);
        var said = $"{text}{(text.Length > 0 && !text.EndsWith('\n') ? "\n" : "")}[exit code {exitCode}]";
        var denials = through?.Denials ?? [];
        return denials.Count == 0 ? new ToolResult(said)
            : new ToolResult($"{said}\n{SandboxDenials.Note(context.Sandbox, denials, [container.Folder])}") { SandboxDenials = denials };
    }

    private static async Task<bool> EndsWithinAsync(Task task, TimeSpan time) =>
        await Task.WhenAny(task, Task.Delay(time, CancellationToken.None)).ConfigureAwait(false) == task;

    private static async Task PumpAsync(StreamReader reader, CappedOutput output)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0) output.Append(buffer.AsSpan(0, read));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe went with the process.
        }
    }
}
