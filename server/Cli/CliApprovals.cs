using System.Text.Json;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary>
/// <c>permission/request</c> on the terminal: what the agent wants (the command, the file, the edit), then Allow,
/// Always for this command prefix or path glob, Always for this task, Always in this folder, or Deny with an optional word to the agent. One question at a time;
/// with no terminal to ask on, the answer is deny, so nothing runs unseen.
/// </summary>
internal sealed class CliApprovals(CliTerminal terminal, CliScreen screen)
{
    private const int PreviewLines = 20;
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Questions asked and not yet answered (a waiting command does not end meanwhile).</summary>
    public int Pending => Volatile.Read(ref _pending);

    private int _pending;

    public async Task<PermissionRequestResult> AskAsync(PermissionRequestParams request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _pending);
        try
        {
            if (!terminal.CanAsk)
                return new PermissionRequestResult { Decision = "deny", Message = "Asked on a command line with no terminal to answer it." };
            await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await Task.Run(() => Ask(request), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _one.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    private PermissionRequestResult Ask(PermissionRequestParams request)
    {
        using var question = screen.Pause();
        var spendCap = request.Tool == "spend_cap";
        terminal.Line(spendCap ? "The task reached its spend cap." : $"The agent wants to run {request.Tool}:", "yellow bold");
        if (request.Reason is { Length: > 0 } reason) terminal.Line(reason, "grey");
        foreach (var line in Preview(request.Input).Split('\n').Take(PreviewLines)) terminal.Line("  " + line);
        if (spendCap)
        {
            terminal.Error.Write("Raise the cap to (in $, empty to double it), or n to stop: ");
            var typed = terminal.In.ReadLine()?.Trim() ?? "n";
            return typed is "n" or "no"
                ? new PermissionRequestResult { Decision = "deny" }
                : new PermissionRequestResult { Decision = "allow", Message = typed };
        }
        // "Always…" for just this command's prefix or this path's glob, when the sidecar found one to offer.
        var narrow = request.SuggestedPrefix is { } prefix ? $"always `{prefix}` in this workspace" : request.SuggestedGlob is { } glob ? $"always {request.Tool} {glob} in this workspace" : null;
        while (true)
        {
            terminal.Error.Write($"[a]llow, {(narrow is null ? "" : $"[p] {narrow}, ")}allow for this [t]ask, always in this [w]orkspace, [d]eny: ");
            switch (terminal.In.ReadLine()?.Trim().ToLowerInvariant())
            {
                case "p" when narrow is not null:
                    return new PermissionRequestResult { Decision = "allowAlways", Scope = "workspace", CommandPrefix = request.SuggestedPrefix, PathGlob = request.SuggestedGlob };
                case "a" or "allow" or "y" or "yes":
                    return new PermissionRequestResult { Decision = "allow" };
                case "t":
                    return new PermissionRequestResult { Decision = "allowAlways", Scope = "task" };
                case "w":
                    return new PermissionRequestResult { Decision = "allowAlways", Scope = "workspace" };
                case "d" or "deny" or "n" or "no" or null:
                    terminal.Error.Write("A word to the agent (optional): ");
                    var message = terminal.In.ReadLine()?.Trim();
                    return new PermissionRequestResult { Decision = "deny", Message = string.IsNullOrEmpty(message) ? null : message };
            }
        }
    }

    /// <summary>The command, or the path and content, or the input as JSON; the agent's input is shown as it is sent.</summary>
    private static string Preview(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object) return input.ToString();
        string? Field(params string[] names) =>
            names.Select(n => input.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null).FirstOrDefault(v => v is not null);
        if (Field("command", "cmd") is { } command) return "$ " + command;
        if (Field("path", "file_path") is { } path)
            return Field("content", "text") is { } content ? $"{path}:\n{content}"
                : Field("old_string") is { } old ? $"{path}:\n- {old.Replace("\n", "\n- ", StringComparison.Ordinal)}\n+ {(Field("new_string") ?? "").Replace("\n", "\n+ ", StringComparison.Ordinal)}"
                : path;
        return input.GetRawText();
    }
}
