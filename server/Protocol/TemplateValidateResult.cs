namespace Plue.Protocol;

/// <summary><c>templates/validate</c> result: what loading that text would report, in that file and in the templates that inherit from it.</summary>
public sealed record TemplateValidateResult
{
    public required IReadOnlyList<TemplateDiagnostic> Diagnostics { get; init; }
    /// <summary>The template's id when the text would load, else null.</summary>
    public string? Id { get; init; }
}
