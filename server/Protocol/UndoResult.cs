namespace Plue.Protocol;

/// <summary><c>codex/undo</c> result: the record as restored, or null when undo removed it.</summary>
public sealed record UndoResult
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public CodexRecord? Record { get; init; }
}
