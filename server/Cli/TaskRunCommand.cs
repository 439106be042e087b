using System.CommandLine;
using System.Text.Json.Nodes;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary>
/// <c>plue task run &lt;template&gt; "goal"</c>: starts an agent task in this process and follows it to its end
/// (<c>--watch</c>: the live tree). VS Code's Agent Tasks lists it like any other.
/// </summary>
internal static class TaskRunCommand
{
    public static Command Create(CliGlobals globals)
    {
        var template = new Argument<string>("template") { Description = "The task template: task, task-orchestrator, task-code-writer, task-docs-writer or your own (by id or name)" };
        var goal = new Argument<string>("goal") { Description = "What the agent should do" };
        var instance = new Option<string?>("--instance", "-i") { Description = "The provider instance (default: the first enabled one with a key)", HelpName = "name" };
        var model = new Option<string?>("--model", "-m") { Description = "The model id (default: the instance's default)", HelpName = "model" };
        var cap = CliSpendCap.Create("Pause the task when it (with its sub-tasks) has spent this many dollars");
        var tools = new Option<string[]>("--tools") { Description = "The tools the agent may use, e.g. --tools read search write bash (default: the template's)", HelpName = "tool", AllowMultipleArgumentsPerToken = true };
        var inContainer = new Option<bool>("--in-container") { Description = "Run the task's tools in a container on a Docker engine (this machine's unless --engine names another)" };
        var engine = new Option<string?>("--engine") { Description = "The Docker engine to run it on, by name (`plue engines list`); implies --in-container", HelpName = "name" };
        var watch = WatchOption();
        var trust = TrustOption();
        var command = new Command("run", "Run an agent task on the current folder and follow it to its end; its tool calls are asked on the terminal")
        {
            template, goal, instance, model, cap, tools, inContainer, engine, watch, trust,
        };
        globals.SetAction(command, async run =>
        {
            var templateId = await TemplateAsync(run, run.Parse.GetValue(template)!).ConfigureAwait(false);
            // The engine is checked before anything is made: an unknown name fails here, naming those there are.
            var engineName = run.Parse.GetValue(engine) is { } named ? (await EnginesCommand.FindAsync(run.Sidecar, named).ConfigureAwait(false)).Title : null;
            var container = run.Parse.GetValue(inContainer) || engineName is not null;
            var chosen = await CliInstances.FindAsync(run.Sidecar, run.Parse.GetValue(instance)).ConfigureAwait(false);
            var modelId = await CliInstances.ModelAsync(run.Sidecar, chosen, run.Parse.GetValue(model)).ConfigureAwait(false);
            var wait = new CliTaskWait(run, run.Parse.GetValue(watch));
            wait.Listen();
            var task = await run.Sidecar.CallAsync(Contract.TaskStart, new TaskStartParams
            {
                TemplateId = templateId,
                Prompt = run.Parse.GetValue(goal)!,
                ProviderRef = chosen.Id,
                ModelId = modelId,
                Fields = Fields(run.Parse.GetValue(cap), run.Parse.GetValue(tools), container, engineName),
            }).ConfigureAwait(false);
            return CliTaskWait.Report(run, await wait.UntilEndAsync(task).ConfigureAwait(false));
        }, parse => parse.GetValue(trust));
        return command;
    }

    private static JsonObject? Fields(decimal? cap, string[]? tools, bool container, string? engine)
    {
        var fields = new JsonObject();
        if (container) fields["runs"] = "container";
        if (engine is not null) fields["engine"] = engine;
        if (cap is { } usd) fields["spend_cap_usd"] = usd;
        if (tools is { Length: > 0 }) fields["available_tools"] = new JsonArray([.. tools.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(t => JsonValue.Create(t))]);
        return fields.Count > 0 ? fields : null;
    }

    public static Option<bool> WatchOption() => new("--watch", "-w") { Description = "Draw the live task tree (status, model, cost, elapsed) while it runs" };

    public static Option<bool> TrustOption() => new("--trust")
    {
        Description = "Trust the current folder, as VS Code's workspace trust does: workspace templates and remembered approvals count",
    };

    private static async Task<string> TemplateAsync(CliRun run, string name)
    {
        var templates = await run.Sidecar.CallAsync(Contract.TemplatesList, new EmptyParams()).ConfigureAwait(false);
        var found = templates.FirstOrDefault(t => t.Id == name) ?? templates.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
        var tasks = templates.Where(t => t.Usable && (t.Id.StartsWith("task", StringComparison.Ordinal) || t.ParentTemplate?.StartsWith("task", StringComparison.Ordinal) == true));
        return found?.Id ?? throw new CliError($"No template '{name}'. Task templates: {string.Join(", ", tasks.Select(t => t.Id))}.", CliError.Usage);
    }
}
