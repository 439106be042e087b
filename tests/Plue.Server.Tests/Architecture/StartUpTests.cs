namespace Plue.Tests.Architecture;

/// <summary>
/// The start's hold on the heap (<c>StartGc</c>) is the start-up's own: taken and given back by the processes' starts
/// (the sidecar's, the <c>plue</c> command's) and ended by the peer's hook where a notification is written
/// (<c>Sidecar/StartWatch</c>), never by a feature that streams an answer.
/// </summary>
public sealed class StartUpTests
{
    private static readonly string[] s_startUp =
    [
        "Rpc/StartGc.cs",
        "Sidecar/StartWatch.cs",
        "Sidecar/SidecarHost.cs",
        "Cli/CliApp.cs",
        "Cli/CliEvents.cs",
    ];

    [Fact]
    public void StartGc_IsReferencedOnlyFromTheStartUpAndThePeersHook()
    {
        var outside = new List<string>();
        foreach (var (relative, lines) in TurnEngineTests.ServerFiles())
            for (var i = 0; i < lines.Length; i++)
                if (lines[i].Contains("StartGc.", StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal) && !s_startUp.Contains(relative))
                    outside.Add($"server/{relative}:{i + 1}");
        Assert.True(outside.Count == 0, "the start's heap hold used outside the start-up; let Sidecar/StartWatch see it on the peer instead:\n" + string.Join("\n", outside));
    }
}
