using System.Text.Json;

namespace Plue.Protocol;

/// <summary>A tool the model may call: its name, description and JSON schema of its input.</summary>
public sealed record LmTool
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public JsonElement? InputSchema { get; init; }
}
