namespace Plue.Bench;

/// <summary>What a run measures: the published sidecar, the floors beside it, and how long to take.</summary>
/// <param name="Floor">The minimal responder and fake provider (plue-floor) built as the sidecar's composite
/// ReadyToRun build is (or framework-dependent, where no platform build is made).</param>
/// <param name="FloorAot">The same built Native AOT, where this machine builds it: the lowest floor .NET has.</param>
/// <param name="Short">A quick run (CI): fewer rounds and a shorter long chat; the same figures.</param>
internal sealed record BenchTargets(string Sidecar, string Floor, string? FloorAot, bool Short)
{
    public int Rounds(int full, int quick) => Short ? quick : full;

    /// <summary>The responders to measure a start-up figure against, each with its name in the table.</summary>
    public IEnumerable<(string Name, string Program)> Responders(string what)
    {
        yield return (FloorAot is null ? what : what + ", R2R", Floor);
        if (FloorAot is not null) yield return (what + ", AOT", FloorAot);
    }

    /// <summary>The lightest floor built: a provider fake that spends next to nothing of its own per delta.</summary>
    public string LightFloor => FloorAot ?? Floor;
}
