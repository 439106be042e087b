namespace Plue.Bench;

/// <summary>What a run measures: the published sidecar, the floors beside it, and how long to take.</summary>
/// <param name="Floor">The minimal responder and fake provider (plue-floor) built as the sidecar's composite
/// ReadyToRun build is (or framework-dependent, where no platform build is made).</param>
/// <param name="FloorAot">The same built Native AOT, where this machine builds it: the lowest floor .NET has.</param>
/// <param name="Short">A quick run (CI): fewer rounds and a shorter long chat; the same figures.</param>
/// <param name="Compare">Another build of the sidecar (<c>--compare</c>, e.g. the one shipped before a change) whose start
/// is measured beside it, interleaved with the same floors.</param>
/// <param name="Writer">The fake provider in C that only writes the stream (bench/fake-writer, built where a C compiler
/// is): the floor of the CPU a streamed delta costs.</param>
/// <param name="Repo">This repository's root (<c>--repo</c>): a workspace with many folders, where <c>plue ask</c> is measured too.</param>
internal sealed record BenchTargets(string Sidecar, string Floor, string? FloorAot, bool Short, string? Compare = null, string? Writer = null, string? Repo = null)
{
    public int Rounds(int full, int quick) => Short ? quick : full;

    /// <summary>The responders to measure a start-up figure against, each with its name in the table.</summary>
    public IEnumerable<(string Name, string Program)> Responders(string what)
    {
        yield return (FloorAot is null ? what : what + ", R2R", Floor);
        if (FloorAot is not null) yield return (what + ", AOT", FloorAot);
    }

    /// <summary>What a start is measured against: the responders, and the other build of the sidecar when given.</summary>
    public IEnumerable<(string Name, string Program)> StartFloors(string what) =>
        Compare is null ? Responders(what) : [.. Responders(what), ("plue, --compare build", Compare)];

    /// <summary>The lightest responder built.</summary>
    public string LightFloor => FloorAot ?? Floor;

    /// <summary>The chats' fake provider and its name in the table: the C writer where built, else plue-floor's own.</summary>
    public (string Program, string Name) Provider => Writer is null ? (LightFloor, "plue-floor's fake, own") : (Writer, "C writer's own");
}
