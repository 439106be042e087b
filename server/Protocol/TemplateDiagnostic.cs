namespace Plue.Protocol;

/// <summary>One problem in a template file: 1-based line and column, <c>error</c> (the template cannot be used) or <c>warning</c>.</summary>
public sealed record TemplateDiagnostic
{
    public required string File { get; init; }
    public required int Line { get; init; }
    public required int Column { get; init; }
    public required string Severity { get; init; }
    public required string Message { get; init; }
}
