namespace Plue.Tests.Architecture;

/// <summary>
/// The start's hold on the heap (<c>StartGc</c>) and its step marks (<c>StartTimings</c>, PLUE_TIMINGS) are the
/// start-up's own: taken, marked and given back by the processes' starts (the sidecar's, the <c>plue</c> command's) and
/// seen at the peer's hooks (<c>Sidecar/StartWatch</c>: a notification written, a request answered, a feature's
/// handlers made), never by a feature that streams an answer or serves a request.
/// </summary>
public sealed class StartUpTests
{
    private static readonly string[] s_startUp =
    [
        "Rpc/StartTimings.cs",
        "Sidecar/StartGc.cs",
        "Sidecar/StartWatch.cs",
        "Sidecar/SidecarHost.cs",
        // The plue command is a host of its own, as the sidecar's is: its steps (parsed, initialized, the first token)
        // are its start.
        "Cli/CliApp.cs",
        "Cli/CliEvents.cs",
        "Cli/AskCommand.cs",
        "Cli/CliSidecar.cs",
        "Cli/CliTurn.cs",
    ];

    [Fact]
    public void StartGc_IsReferencedOnlyFromTheStartUpAndThePeersHook() =>
        AssertOnlyFrom("StartGc.", s_startUp, "the start's heap hold used outside the start-up; let Sidecar/StartWatch see it on the peer instead");

    [Fact]
    public void StartTimings_IsReferencedOnlyFromTheStartUpAndThePeersHooks() =>
        AssertOnlyFrom("StartTimings.", s_startUp, "a start step marked outside the start-up; let Sidecar/StartWatch see it at one of the peer's hooks instead");

    /// <summary>A feature's own steps are activities of the "Plue.Steps" source the start-up listens to, never its calls.</summary>
    [Fact]
    public void FeatureSteps_AreActivitiesTheStartUpListensTo()
    {
        var files = TurnEngineTests.ServerFiles().ToDictionary(f => f.Relative, f => f.Lines);
        foreach (var feature in new[] { "Sessions/SessionService.cs", "Sessions/ChatWarmup.cs", "Providers/ProviderTransport.cs" })
            Assert.Contains(files[feature], l => l.Contains("new(\"Plue.Steps\")", StringComparison.Ordinal));
        Assert.Contains(files["Rpc/StartTimings.cs"], l => l.Contains("source.Name == \"Plue.Steps\"", StringComparison.Ordinal));
    }

    private static void AssertOnlyFrom(string use, IReadOnlyCollection<string> allowed, string why)
    {
        var outside = new List<string>();
        foreach (var (relative, lines) in TurnEngineTests.ServerFiles())
            for (var i = 0; i < lines.Length; i++)
                if (lines[i].Contains(use, StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal) && !allowed.Contains(relative))
                    outside.Add($"server/{relative}:{i + 1}");
        Assert.True(outside.Count == 0, why + ":\n" + string.Join("\n", outside));
    }
}
