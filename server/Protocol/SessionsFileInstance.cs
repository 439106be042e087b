namespace Plue.Protocol;

/// <summary>A provider instance as a sessions file names it: its <c>codex://</c> reference (slug), its name and id.</summary>
public sealed record SessionsFileInstance
{
    public required string Ref { get; init; }
    public string? Name { get; init; }
    public string? Id { get; init; }
}
