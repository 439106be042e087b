namespace Plue.Protocol;

/// <summary><c>templates/validate</c> params: a template file's path and its text, saved or not.</summary>
public sealed record TemplateValidateParams
{
    public required string File { get; init; }
    public required string Text { get; init; }
}
