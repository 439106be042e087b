using System.Text.Json;

namespace Plue.Protocol;

/// <summary>A tool call the model made: <c>input</c> is the JSON object of its arguments.</summary>
public sealed record LmToolCall
{
    public required string CallId { get; init; }
    public required string Name { get; init; }
    public required JsonElement Input { get; init; }
}
