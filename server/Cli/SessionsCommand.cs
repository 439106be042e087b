using System.CommandLine;
using System.Globalization;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary>
/// <c>plue sessions list|show|export|import|search</c>: the chats of the store (VS Code's User Chats), made here or in the
/// editor; search finds tasks too; <c>export --all</c> and <c>import</c> carry every chat and task to another machine.
/// </summary>
internal static class SessionsCommand
{
    public static Command Create(CliGlobals globals) =>
        new("sessions", "Chats in the store (VS Code lists them under User Chats)") { List(globals), Show(globals), Export(globals), Import(globals), Search(globals) };

    /// <summary>The largest sessions file an import reads: what one request to the sidecar can carry.</summary>
    private const int MaxImportBytes = 60 * 1024 * 1024;

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
            var modeId = run.Parse.GetValue(mode) is { } modeName ? await CliModes.IdAsync(run.Sidecar, modeName).ConfigureAwait(false) : null;
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

    private static Command Export(CliGlobals globals)
    {
        var name = new Argument<string?>("session") { Description = "The chat's id (or the start of it), or its title; leave out with --all", Arity = ArgumentArity.ZeroOrOne };
        var format = new Option<string>("--format") { Description = "md (markdown) or json", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "json");
        var all = new Option<bool>("--all") { Description = "Every chat and task (archived too) in one JSON sessions file, for plue sessions import" };
        var output = new Option<string?>("--out") { Description = "Write to this file instead of stdout" };
        var command = new Command("export", "Export a chat as markdown or JSON, or with --all every chat and task as one JSON file") { name, format, all, output };
        globals.SetAction(command, async run =>
        {
            var chosen = run.Parse.GetValue(name);
            SessionExportResult exported;
            if (run.Parse.GetValue(all))
            {
                if (chosen is not null) throw new CliError("--all exports every chat and task: leave out the chat's name, or leave out --all.", CliError.Usage);
                exported = await run.Sidecar.CallAsync(Contract.SessionExportAll, new EmptyParams()).ConfigureAwait(false);
            }
            else
            {
                if (chosen is null) throw new CliError("Name the chat to export, or export every chat and task with --all.", CliError.Usage);
                var session = await CliSessions.FindAsync(run.Sidecar, chosen).ConfigureAwait(false);
                var json = run.Json || run.Parse.GetValue(format) == "json";
                // The window's Export Chat and this are one: session/export writes the text.
                exported = await run.Sidecar.CallAsync(Contract.SessionExport, new SessionExportParams { Id = session.Id, Format = json ? "json" : "markdown" }).ConfigureAwait(false);
            }
            var text = exported.Text.EndsWith('\n') ? exported.Text : exported.Text + "\n";
            if (run.Parse.GetValue(output) is { } path)
            {
                try
                {
                    await File.WriteAllTextAsync(path, text).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliError($"Cannot write '{path}': {e.Message}");
                }
                run.Terminal.Error.WriteLine($"Exported to {path}.");
            }
            else
            {
                run.Terminal.Out.Write(text);
            }
            return 0;
        });
        return command;
    }

    private static Command Import(CliGlobals globals)
    {
        var file = new Argument<string>("file") { Description = "A sessions file (plue sessions export --all) or one chat's JSON export" };
        var command = new Command("import", "Import chats and tasks from a JSON export: never over one here (an id taken is imported as new; the same one skipped)") { file };
        globals.SetAction(command, async run =>
        {
            var path = run.Parse.GetValue(file)!;
            string text;
            try
            {
                var full = Path.GetFullPath(path);
                if (!File.Exists(full)) throw new Workspace.RegularFileException("it does not exist");
                text = Workspace.RegularFile.ReadText(full, MaxImportBytes);
            }
            catch (Workspace.RegularFileException e)
            {
                throw new CliError($"Cannot import '{path}': {e.Message}. Import a regular file of up to {MaxImportBytes / (1024 * 1024)} MiB written by plue sessions export.", CliError.Usage);
            }
            var result = await run.Sidecar.CallAsync(Contract.SessionImport, new SessionImportParams { Json = text }).ConfigureAwait(false);
            return run.Show(result, Contract.SessionImport.ResultType, done => run.Terminal.Out.WriteLine(done.Message));
        });
        return command;
    }

    private static Command Show(CliGlobals globals)
    {
        var name = new Argument<string>("session") { Description = "The chat's id (or the start of it), or its title" };
        var format = new Option<string>("--format") { Description = "text, md (markdown) or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "md", "json");
        var command = new Command("show", "Print a chat's messages") { name, format };
        globals.SetAction(command, async run =>
        {
            var session = await CliSessions.FindAsync(run.Sidecar, run.Parse.GetValue(name)!).ConfigureAwait(false);
            var chosen = run.Json ? "json" : run.Parse.GetValue(format);
            var exported = await run.Sidecar.CallAsync(Contract.SessionExport, new SessionExportParams { Id = session.Id, Format = chosen == "json" ? "json" : "markdown" }).ConfigureAwait(false);
            run.Terminal.Out.Write(exported.Text);
            if (chosen == "json") run.Terminal.Out.WriteLine();
            return 0;
        });
        return command;
    }
}
