namespace Plue.Codex.Templates;

/// <summary>Something wrong in a template file, where it is, and whether the template is still usable.</summary>
public sealed record TemplateProblem(string File, int Line, int Column, string Message, bool IsWarning = false)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {(IsWarning ? "warning: " : "")}{Message}";
}
