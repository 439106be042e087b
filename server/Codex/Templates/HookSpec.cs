using System.Text.Json.Nodes;

namespace Plue.Codex.Templates;

/// <summary>An automation hook: when <see cref="Field"/> changes and every condition holds, run <see cref="Action"/>.</summary>
public sealed record HookSpec
{
    public required string Trigger { get; init; }
    public required string Field { get; init; }
    public required string Action { get; init; }
    public IReadOnlyList<HookCondition> Conditions { get; init; } = [];
}

/// <summary>One condition on a record: <c>equals</c>, <c>not_equals</c>, <c>in</c> or <c>is_set</c>.</summary>
public sealed record HookCondition(string Field, string Operator, JsonNode? Operand);
