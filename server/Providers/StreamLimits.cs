namespace Plue.Providers;

/// <summary>
/// How much of a provider's response is ever held: a hostile or broken server can send a line, a part or an error body
/// of any size, and none of it may cost more memory than these, or leave a chat too large to read back.
/// </summary>
public static class StreamLimits
{
    /// <summary>One SSE or NDJSON line; real chunks are a few KiB, a whole tool call in one line rarely a few hundred.</summary>
    public const int MaxLineBytes = 8 * 1024 * 1024;

    /// <summary>One part of an answer (its text, reasoning or a tool call's arguments), in characters: far above any model's output limit.</summary>
    public const int MaxPartChars = 4 * 1024 * 1024;

    /// <summary>What is read of an error response's body; the rest is never read.</summary>
    public const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>A size in people's words.</summary>
    public static string Describe(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes / 1024} KiB";
}
