using System.CommandLine;
using System.Text.Json;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary>
/// <c>plue approvals replay &lt;chat or task&gt; [--rules file]</c>: each recorded tool call of a chat or task with what
/// the rules in force now (or a rules file's) would give it, beside what it got; nothing runs and no one is asked.
/// </summary>
internal static class ApprovalsCommand
{
    /// <summary>The largest rules file read: far more rules than anyone writes.</summary>
    private const int MaxRulesBytes = 1024 * 1024;

    private const string RulesExample = """[{"tool": "bash", "commandPrefix": "npm test"}, {"tool": "bash", "commandPrefix": "npm publish", "decision": "deny"}]""";

    public static Command Create(CliGlobals globals) => new("approvals", "The approval rules: what runs without asking, what is refused") { Replay(globals) };

    private static Command Replay(CliGlobals globals)
    {
        var name = new Argument<string>("chat-or-task") { Description = "The chat or task: its id (or the start of it), or its title" };
        var rules = new Option<string?>("--rules") { Description = $"Weigh against this file's rules (a JSON list, in order) instead of those in force: {RulesExample}" };
        // Untrusted, no allow rule counts (every call that asks would have asked), as in the window: --trust weighs as a trusted workspace does.
        var trust = TaskRunCommand.TrustOption();
        var command = new Command("replay", "Print each recorded tool call of a chat or task with what the rules would give it now (\"would have asked\", \"allowed by …\", \"denied by …\"); changes nothing")
            { name, rules, trust };
        globals.SetAction(command, async run =>
        {
            var id = await FindAsync(run.Sidecar, run.Parse.GetValue(name)!).ConfigureAwait(false);
            var given = run.Parse.GetValue(rules) is { } path ? Read(path) : null;
            var result = await run.Sidecar.CallAsync(Contract.ApprovalsReplay, new ApprovalsReplayParams { Id = id, Rules = given }).ConfigureAwait(false);
            return run.Show(result, Contract.ApprovalsReplay.ResultType, replay => Print(run.Terminal, replay));
        }, parse => parse.GetValue(trust));
        return command;
    }

    private static void Print(CliTerminal terminal, ApprovalsReplayResult replay)
    {
        var against = replay.FromFile ? "the rules file" : "the rules in force now";
        terminal.Line($"{replay.Title} ({replay.Kind}): {replay.Calls.Count} tool call{(replay.Calls.Count == 1 ? "" : "s")} against {against}", "bold");
        foreach (var rule in replay.Rules)
            terminal.Line($"  rule: {(rule.Decision == "deny" ? "deny" : "allow")} {rule.What} ({rule.Source})", "grey");
        if (replay.Rules.Count == 0) terminal.Line("  no rules: every call that asks would have asked", "grey");
        var number = 0;
        foreach (var call in replay.Calls)
        {
            number++;
            terminal.Line($"{number}. {call.Call}: {call.Words}", call.Would.Decision switch { "deny" => "red", "ask" => "yellow", _ => "green" });
            if (call.Recorded is { } then) terminal.Line($"   then: {then.Decision} ({then.Rule})", "grey");
        }
    }

    /// <summary>A chat (as <c>plue sessions</c> finds one) or a task, by id, title or the start of its id.</summary>
    private static async Task<string> FindAsync(CliSidecar sidecar, string name)
    {
        var chats = (await sidecar.CallAsync(Contract.SessionList, new SessionListParams()).ConfigureAwait(false))
            .Concat(await sidecar.CallAsync(Contract.SessionList, new SessionListParams { Archived = true }).ConfigureAwait(false)).Select(s => (s.Id, s.Title));
        var tasks = (await sidecar.CallAsync(Contract.TaskList, new TaskListParams { Limit = 1000 }).ConfigureAwait(false)).Select(t => (t.Id, t.Title));
        var all = chats.Concat(tasks).ToList();
        var titled = all.Where(s => string.Equals(s.Title, name, StringComparison.OrdinalIgnoreCase)).ToList();
        var prefixed = all.Where(s => s.Id.StartsWith(name, StringComparison.Ordinal)).ToList();
        if (all.FirstOrDefault(s => s.Id == name) is { Id: not null } exact) return exact.Id;
        if (titled.Count == 1) return titled[0].Id;
        if (prefixed.Count == 1 && name.Length >= 4) return prefixed[0].Id;
        throw new CliError(titled.Count > 1
            ? $"{titled.Count} chats and tasks are called '{name}': name one by its id (`plue sessions list`, `plue task list`)."
            : $"No chat or task is called '{name}': `plue sessions list` and `plue task list` show them.", CliError.Usage);
    }

    /// <summary>A rules file: a JSON list of rules (comments and trailing commas allowed), or an object holding one as <c>rules</c>.</summary>
    private static IReadOnlyList<ApprovalRuleInfo> Read(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxRulesBytes) throw new CliError($"'{path}' is larger than {MaxRulesBytes / 1024} KiB: a rules file is a short JSON list such as {RulesExample}.", CliError.Usage);
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"Cannot read the rules file '{path}': {e.Message}", CliError.Usage);
        }
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var list = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("rules", out var inner) ? inner : document.RootElement;
            if (list.ValueKind != JsonValueKind.Array) throw new CliError($"'{path}' holds no list of rules: write one such as {RulesExample}.", CliError.Usage);
            return list.Deserialize(PlueJsonContext.Default.IReadOnlyListApprovalRuleInfo) ?? [];
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new CliError($"'{path}' is not a rules file{where}: each rule is an object with a \"tool\", and a \"commandPrefix\" or \"pathGlob\" and \"decision\" (allow or deny) when wanted, such as {RulesExample}.", CliError.Usage);
        }
    }
}
