using System.Diagnostics;

namespace Plue.Rpc;

/// <summary>
/// With <c>PLUE_TIMINGS=1</c>, the milliseconds since the process started at each step of its start, on stderr: the
/// sidecar's (runtime, host built and started, each method's first answer, a new chat's steps, the first request to a
/// provider of each HTTP method and its answer's headers, the first delta) and a command's
/// (parsing, initialize, the first token), each with the bytes allocated and the heap's collections so far. Where a
/// cold start's time goes, measured.
/// </summary>
public static class StartTimings
{
    /// <summary>Whether timings are told: callers that build a step's name check it first, so it costs nothing off.</summary>
    public static bool On { get; } = Environment.GetEnvironmentVariable("PLUE_TIMINGS") == "1";

    private static readonly HashSet<string> s_told = [];

    /// <summary>
    /// The steps a feature reaches inside its work (a new chat's, the warm-up's, a provider's first request) are
    /// activities of the "Plue.Steps" source, .NET's own hook for tracing: the feature starts one by the step's name and
    /// the start-up listens, so no feature calls into the start-up. Nothing listens, and nothing is made, when timings are off.
    /// </summary>
    static StartTimings()
    {
        if (!On) return;
        ActivitySource.AddActivityListener(new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Plue.Steps",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = step => Mark(step.OperationName),
        });
    }

    /// <summary>Tells <paramref name="step"/> the first time it is reached.</summary>
    public static void Mark(string step)
    {
        if (!On) return;
        lock (s_told)
        {
            if (!s_told.Add(step)) return;
        }
        var since = DateTime.Now - Process.GetCurrentProcess().StartTime;
        // What the heap took so far and whether it was collected: a collection in the first turn is time the turn waits.
        Console.Error.WriteLine($"plue timings: {since.TotalMilliseconds,6:F0} ms  {step}  ({GC.GetTotalAllocatedBytes() / 1048576.0:F1} MiB allocated, {GC.CollectionCount(0)} collections)");
    }
}
