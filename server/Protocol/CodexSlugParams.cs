namespace Plue.Protocol;

/// <summary><c>codex/slug</c> params: the template a record would be made of, and the title it would have.</summary>
public sealed record CodexSlugParams
{
    public required string TemplateId { get; init; }
    public required string Title { get; init; }
}
