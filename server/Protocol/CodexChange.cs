using System.Text.Json.Nodes;

namespace Plue.Protocol;

/// <summary>A change to a record at the version the caller read (also the <c>codex/update</c> params).</summary>
public sealed record CodexChange
{
    public required string Id { get; init; }
    public required long Version { get; init; }
    public JsonObject? Fields { get; init; }
    public string? Title { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? Status { get; init; }
}
