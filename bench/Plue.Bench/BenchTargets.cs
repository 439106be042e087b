namespace Plue.Bench;

/// <summary>What a run measures: the published sidecar, the floor beside it, and how long to take.</summary>
/// <param name="Short">A quick run (CI): fewer rounds and a shorter long chat; the same figures.</param>
internal sealed record BenchTargets(string Sidecar, string Floor, bool Short)
{
    public int Rounds(int full, int quick) => Short ? quick : full;
}
