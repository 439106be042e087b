using System.Diagnostics;

namespace Plue.Bench;

/// <summary>
/// Reads the write times the fake provider puts in each delta's text ("d3@123456789 ": its monotonic clock, the same
/// clock as this process's <see cref="Stopwatch"/> on Linux), so a delta's trip from the fake's socket to a reader
/// is measured per delta, whichever reader (the sidecar's client or a plain HttpClient) read it.
/// </summary>
internal static class DeltaStamps
{
    /// <summary>Adds, for every stamp in <paramref name="text"/>, the ms from its write to <paramref name="readAt"/>.</summary>
    public static void Collect(ReadOnlySpan<char> text, long readAt, List<double> latencies)
    {
        while (text.IndexOf('@') is var at and >= 0)
        {
            text = text[(at + 1)..];
            var digits = 0;
            while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
            if (digits > 0 && long.TryParse(text[..digits], out var writtenAt))
                latencies.Add(Stopwatch.GetElapsedTime(writtenAt, readAt).TotalMilliseconds);
            text = text[digits..];
        }
    }
}
