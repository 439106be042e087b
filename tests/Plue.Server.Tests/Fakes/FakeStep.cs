namespace Plue.Tests.Fakes;

/// <summary>A piece of a streamed response body, written (and flushed) after an optional delay.</summary>
public sealed record FakeStep(string Text, TimeSpan Delay = default)
{
    /// <summary>Sent instead of <see cref="Text"/> for a binary body (AWS event-stream frames).</summary>
    public byte[]? Bytes { get; init; }

    /// <summary>Awaited before this step is written: a test holds a response back until it has done something.</summary>
    public Task? WaitFor { get; init; }
}
