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
        "Cli/CliApp.cs",
        "Cli/CliEvents.cs",
    ];

    /// <summary>
    /// Steps still marked where they happen, each named here until it is seen from a hook (issue 70, item 2): a new
    /// chat's steps and the warm-up's inside their handlers, a provider's first request, and the command's own steps.
    /// </summary>
    private static readonly string[] s_notYetMoved =
    [
        "Sessions/SessionService.cs",
        "Sessions/ChatWarmup.cs",
        "Providers/ProviderTransport.cs",
        "Cli/AskCommand.cs",
        "Cli/CliSidecar.cs",
        "Cli/CliTurn.cs",
    ];

    [Fact]
    public void StartGc_IsReferencedOnlyFromTheStartUpAndThePeersHook() =>
        AssertOnlyFrom("StartGc.", s_startUp, "the start's heap hold used outside the start-up; let Sidecar/StartWatch see it on the peer instead");

    [Fact]
    public void StartTimings_IsReferencedOnlyFromTheStartUpAndThePeersHooks() =>
        AssertOnlyFrom("StartTimings.", [.. s_startUp, .. s_notYetMoved], "a start step marked outside the start-up; let Sidecar/StartWatch see it at one of the peer's hooks instead");

    [Fact]
    public void EachStepNotYetMoved_IsStillMarkedThere()
    {
        var files = TurnEngineTests.ServerFiles().ToDictionary(f => f.Relative, f => f.Lines);
        var moved = s_notYetMoved.Where(f => !files.TryGetValue(f, out var lines) || !lines.Any(l => l.Contains("StartTimings.", StringComparison.Ordinal))).ToList();
        Assert.True(moved.Count == 0, "no longer marks a start step: take it off StartUpTests' list:\n" + string.Join("\n", moved));
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
