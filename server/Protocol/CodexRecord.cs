using System.Text.Json.Nodes;

namespace Plue.Protocol;

/// <summary>A codex: a record whose fields a template validates. Also its wire shape.</summary>
public sealed record CodexRecord
{
    public required string Id { get; init; }
    public required string TemplateId { get; init; }
    /// <summary>The codex:// collection; slugs are unique within it.</summary>
    public required string Collection { get; init; }
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public required JsonObject Fields { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public string? ParentId { get; init; }
    public string? SpawnedBy { get; init; }
    public string? Status { get; init; }
    /// <summary>Bumped by every change; an update must name the version it read.</summary>
    public required long Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// Set on a record a list found but could not read (its stored fields or tags are not JSON): why, in words. Its
    /// fields are then empty: it is listed with its id so it is never lost from sight, and nothing writes over it.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Unreadable { get; init; }

    /// <summary>The codex:// reference that names this record.</summary>
    public string Ref => $"codex://{Collection}/{Slug}";
}
