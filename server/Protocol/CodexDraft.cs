using System.Text.Json.Nodes;

namespace Plue.Protocol;

/// <summary>A record to create (also the <c>codex/create</c> params).</summary>
public sealed record CodexDraft
{
    public required string TemplateId { get; init; }
    public required string Title { get; init; }
    public JsonObject? Fields { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? Slug { get; init; }
    public string? ParentId { get; init; }
    public string? SpawnedBy { get; init; }
    /// <summary>The record's status; a kind whose feature writes it refuses it (a task is in a status because it ran: start it with <c>task/start</c>).</summary>
    public string? Status { get; init; }
}
