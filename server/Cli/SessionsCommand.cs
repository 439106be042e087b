using System.CommandLine;
using System.Globalization;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue sessions list|show|export</c>: the chats of the store (VS Code's User Chats), made here or in the editor.</summary>
internal static class SessionsCommand
{
    public static Command Create(CliGlobals globals) =>
        new("sessions", "Chats in the store (VS Code lists them under User Chats)") { List(globals), Show(globals, "show"), Show(globals, "export") };

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
