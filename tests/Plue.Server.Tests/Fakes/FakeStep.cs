namespace Plue.Tests.Fakes;

/// <summary>A piece of a streamed response body, written (and flushed) after an optional delay.</summary>
public sealed record FakeStep(string Text, TimeSpan Delay = default);
