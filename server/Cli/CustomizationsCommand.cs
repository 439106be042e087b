using System.CommandLine;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue customizations list [--explain]</c>: the agent setup found in the current folder and the user's home, what is used and what is not.</summary>
internal static class CustomizationsCommand
{
    public static Command Create(CliGlobals globals) =>
        new("customizations", "The instructions, skills, commands, agents, agent hooks and MCP files of other agents' layouts that Plue finds (docs/CUSTOMIZATIONS.md)")
        {
            List(globals),
        };

    private static Command List(CliGlobals globals)
    {
        var explain = new Option<bool>("--explain") { Description = "Add each file's path and why it is ignored" };
        var trust = TaskRunCommand.TrustOption();
        var list = new Command("list", "List what is found, by kind: name, layout, scope and status (used or ignored)") { explain, trust };
        globals.SetAction(list, async run =>
        {
            var result = await run.Sidecar.CallAsync(Contract.CustomizationsList, new EmptyParams()).ConfigureAwait(false);
            return run.Show(result, Contract.CustomizationsList.ResultType, found =>
            {
                if (found.Items.Count == 0)
                {
                    run.Terminal.Line("No customization files found here or in your home folder (docs/CUSTOMIZATIONS.md lists where Plue looks).");
                    return;
                }
                var withReasons = run.Parse.GetValue(explain);
                var table = withReasons ? new CliTable("kind", "name", "layout", "scope", "status", "source", "reason") : new CliTable("kind", "name", "layout", "scope", "status");
                foreach (var i in found.Items.OrderBy(i => i.Kind))
                {
                    string[] cells = [KindText(i.Kind), i.Name, i.Layout, i.Scope == CustomizationScope.User ? "user" : "workspace", i.Status == CustomizationStatus.Used ? "used" : "ignored"];
                    table.AddRow(withReasons ? [.. cells, i.Source, i.Reason ?? ""] : cells);
                }
                table.Write(run.Terminal);
            });
        }, parse => parse.GetValue(trust));
        return list;
    }

    private static string KindText(CustomizationKind kind) => kind switch
    {
        CustomizationKind.Instructions => "instructions",
        CustomizationKind.Skill => "skill",
        CustomizationKind.Command => "command",
        CustomizationKind.Agent => "agent",
        CustomizationKind.AgentHook => "agent hook",
        _ => "MCP server",
    };
}
