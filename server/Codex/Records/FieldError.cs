namespace Plue.Codex.Records;

/// <summary>One invalid field of a record and what is wrong with it.</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
