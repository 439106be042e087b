using Plue.Protocol;

namespace Plue.Cli;

/// <summary>Chat modes by the names users type (Ask, Agent, Plan or one of theirs), and the plan a Plan-mode answer ends with.</summary>
internal static class CliModes
{
    /// <summary>The mode named (its name or id, as <c>session/modes</c> lists them).</summary>
    public static async Task<string> IdAsync(CliSidecar sidecar, string name)
    {
        var modes = await sidecar.CallAsync(Contract.SessionModes, new EmptyParams()).ConfigureAwait(false);
        return (modes.FirstOrDefault(m => m.Id == name) ?? modes.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)))?.Id
            ?? throw new CliError($"No chat mode is called '{name}'. Known: {string.Join(", ", modes.Select(m => m.Name))}.", CliError.Usage);
    }

    /// <summary>Puts the chat in the mode named, and says so.</summary>
    public static async Task SetAsync(CliRun run, string sessionId, string name)
    {
        var id = await IdAsync(run.Sidecar, name).ConfigureAwait(false);
        await run.Sidecar.CallAsync(Contract.SessionSetMode, new SessionSetModeParams { Id = sessionId, Mode = id }).ConfigureAwait(false);
    }

    /// <summary>The plan the answer ended with, its steps numbered with their boxes; nothing when it has none.</summary>
    public static void WritePlan(CliRun run, SessionMessage answer, string? next)
    {
        if (answer.Parts.OfType<PlanPart>().LastOrDefault() is not { } plan) return;
        run.Terminal.Line($"Plan ({plan.Items.Count(i => i.Done)} of {plan.Items.Count} done):", "bold");
        for (var i = 0; i < plan.Items.Count; i++)
            run.Terminal.Line($"  {i + 1}. [{(plan.Items[i].Done ? 'x' : ' ')}] {plan.Items[i].Text}");
        if (next is not null && plan.StartedMode is null) run.Terminal.Line(next, "grey");
    }
}
