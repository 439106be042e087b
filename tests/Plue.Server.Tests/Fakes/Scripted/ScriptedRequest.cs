using System.Text.Json.Nodes;

namespace Plue.Tests.Fakes;

/// <summary>One HTTP request the fake received, as sent: method, path (without the query), query, headers, body.</summary>
internal sealed record ScriptedRequest
{
    public required string Method { get; init; }
    public required string Path { get; init; }
    public required string Query { get; init; }
    /// <summary>Header names lower-cased; repeated headers joined with ", ".</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    public required string Body { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    /// <summary>The body as JSON, or null when it is empty or not JSON.</summary>
    public JsonObject? Json
    {
        get
        {
            if (Body.Length == 0) return null;
            try
            {
                return JsonNode.Parse(Body) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    public bool IsMessages => Method == "POST" && Path == "/v1/messages";
    public bool IsStreaming => Json?["stream"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;

    /// <summary>The last message of a Messages request (what the client just added), else null.</summary>
    public JsonObject? LastMessage => Json?["messages"] is JsonArray { Count: > 0 } messages ? messages[^1] as JsonObject : null;

    public override string ToString() => $"{Method} {Path}{Query} {Body.Length} bytes";
}
