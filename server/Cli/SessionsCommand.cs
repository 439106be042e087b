using System.CommandLine;
using System.Globalization;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue sessions list|show|export|search</c>: the chats of the store (VS Code's User Chats), made here or in the editor; search finds tasks too.</summary>
internal static class SessionsCommand
{
    public static Command Create(CliGlobals globals) =>
        new("sessions", "Chats in the store (VS Code lists them under User Chats)") { List(globals), Show(globals, "show"), Show(globals, "export"), Search(globals) };

    private static Command List(CliGlobals globals)
    {
        var archived = new Option<bool>("--archived") { Description = "List archived chats instead" };
        var list = new Command("list", "List chats, newest first: title, model, messages, cost, last change") { archived };
        globals.SetAction(list, async run =>
        {
            var sessions = await run.Sidecar.CallAsync(Contract.SessionList, new SessionListParams { Archived = run.Parse.GetValue(archived) }).ConfigureAwait(false);
            return run.Show(sessions, Contract.SessionList.ResultType, all =>
            {
                var table = new CliTable("id", "title", "model", "messages", "cost", "updated");
                foreach (var s in all.OrderByDescending(s => s.UpdatedAt))
                    table.AddRow(s.Id, s.Title, s.ModelId, s.MessageCount.ToString(CultureInfo.InvariantCulture), CliFormat.Cost(s.CostUsd, s.CostSources), CliFormat.When(s.UpdatedAt));
                table.Write(run.Terminal);
            });
        });
        return list;
    }

    private static Command Search(CliGlobals globals)
    {
        var query = new Argument<string>("query") { Description = "Words to find in titles and messages (each a prefix; all of them in one message or title)" };
        var instance = new Option<string?>("--instance") { Description = "Only chats and tasks on this provider instance (its name)" };
        var tag = new Option<string?>("--tag") { Description = "Only those with this tag" };
        var mode = new Option<string?>("--mode") { Description = "Only chats in this mode (Ask, Agent or one of yours)" };
        var kind = new Option<string?>("--kind") { Description = "chat or task" };
        kind.AcceptOnlyFromAmong("chat", "task");
        var from = new Option<string?>("--from") { Description = "Changed on or after this date (2026-11-25)" };
        var to = new Option<string?>("--to") { Description = "Changed on or before this date" };
        var sort = new Option<string?>("--sort") { Description = "relevance (the default), newest or oldest" };
        sort.AcceptOnlyFromAmong("relevance", "newest", "oldest");
        var limit = new Option<int?>("--limit") { Description = "At most this many (50 by default, 200 at most)" };
        var command = new Command("search", "Find chats and tasks by a word of their title or messages: each with the line that matched")
            { query, instance, tag, mode, kind, from, to, sort, limit };
        globals.SetAction(command, async run =>
        {
            var instanceId = run.Parse.GetValue(instance) is { } instanceName ? (await CliInstances.FindAsync(run.Sidecar, instanceName).ConfigureAwait(false)).Id : null;
            var modeId = run.Parse.GetValue(mode) is { } modeName ? await ModeIdAsync(run.Sidecar, modeName).ConfigureAwait(false) : null;
            var result = await run.Sidecar.CallAsync(Contract.SessionSearch, new SessionSearchParams
            {
                Query = run.Parse.GetValue(query)!,
                InstanceId = instanceId,
                Tag = run.Parse.GetValue(tag),
                Mode = modeId,
                Kind = run.Parse.GetValue(kind) switch { "chat" => SearchHitKind.Chat, "task" => SearchHitKind.Task, _ => null },
                From = run.Parse.GetValue(from),
                To = run.Parse.GetValue(to),
                Sort = run.Parse.GetValue(sort) switch { "newest" => SearchSort.Newest, "oldest" => SearchSort.Oldest, "relevance" => SearchSort.Relevance, _ => null },
                Limit = run.Parse.GetValue(limit),
            }).ConfigureAwait(false);
            return run.Show(result, Contract.SessionSearch.ResultType, found =>
            {
                if (found.Hits.Count == 0)
                {
                    run.Terminal.Out.WriteLine("Nothing found.");
                    return;
                }
                var table = new CliTable("id", "title", "kind", "instance", "model", "updated", "line");
                foreach (var hit in found.Hits)
                {
                    table.AddRow(hit.Id, hit.Title, hit.Kind == SearchHitKind.Task ? "task" : "chat", hit.InstanceName ?? hit.InstanceId ?? "",
                        hit.ModelId ?? "", CliFormat.When(hit.UpdatedAt), hit.Snippet ?? (hit.TitleMatched == true ? "(the title)" : ""));
                }
                table.Write(run.Terminal);
            });
        });
        return command;
    }

    /// <summary>The mode named (its name or id, as <c>session/modes</c> lists them).</summary>
    private static async Task<string> ModeIdAsync(CliSidecar sidecar, string name)
    {
        var modes = await sidecar.CallAsync(Contract.SessionModes, new EmptyParams()).ConfigureAwait(false);
        return (modes.FirstOrDefault(m => m.Id == name) ?? modes.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)))?.Id
            ?? throw new CliError($"No chat mode is called '{name}'. Known: {string.Join(", ", modes.Select(m => m.Name))}.", CliError.Usage);
    }

    private static Command Show(CliGlobals globals, string verb)
    {
        var name = new Argument<string>("session") { Description = "The chat's id (or the start of it), or its title" };
        var format = new Option<string>("--format") { Description = "md (markdown) or json", DefaultValueFactory = _ => verb == "export" ? "md" : "text" };
        format.AcceptOnlyFromAmong(verb == "export" ? ["md", "json"] : ["text", "md", "json"]);
        var command = new Command(verb, verb == "export" ? "Export a chat as markdown or JSON to stdout" : "Print a chat's messages") { name, format };
        globals.SetAction(command, async run =>
        {
            var session = await CliSessions.FindAsync(run.Sidecar, run.Parse.GetValue(name)!).ConfigureAwait(false);
            var chosen = run.Json ? "json" : run.Parse.GetValue(format);
            // The window's Export Chat and this are one: session/export writes the text.
            var exported = await run.Sidecar.CallAsync(Contract.SessionExport, new SessionExportParams { Id = session.Id, Format = chosen == "json" ? "json" : "markdown" }).ConfigureAwait(false);
            run.Terminal.Out.Write(exported.Text);
            if (chosen == "json") run.Terminal.Out.WriteLine();
            return 0;
        });
        return command;
    }
}
