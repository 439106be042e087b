using System.Text.Json.Nodes;

namespace Plue.Tests.Fakes;

/// <summary>One request as a fake server received it, for tests to check what a client sent.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The header's value, or null (names are case-insensitive).</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body parsed as JSON (throws when it is not JSON).</summary>
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}
