using System.Text.Json.Nodes;

namespace Plue.Protocol;

/// <summary><c>task/start</c>: providerRef is an instance id (<c>codex://providers/&lt;slug&gt;</c>, a codex id or <c>env:&lt;provider&gt;</c>).</summary>
public sealed record TaskStartParams
{
    public required string TemplateId { get; init; }
    public string? Title { get; init; }
    public required string Prompt { get; init; }
    /// <summary>Files and selections (an @-mention's or a picked file's) that go with the goal, after its text, as a chat's attachments do; images are refused.</summary>
    public IReadOnlyList<Attachment>? Attachments { get; init; }
    public string? ProviderRef { get; init; }
    public string? ModelId { get; init; }
    /// <summary>True to use a model id the instance does not list (a custom or newly released model); by default such an id is refused with the list of what it offers.</summary>
    public bool? AllowUnlisted { get; init; }
    public string? ParentId { get; init; }
    /// <summary>More template fields for the record (limits, tools narrowed, auto_approve...), validated by the template.</summary>
    public JsonObject? Fields { get; init; }
}
