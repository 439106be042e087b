using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>A typed part of a message, <c>kind</c> on the wire saying which: each kind carries only its own members.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(TextPart), "text")]
[JsonDerivedType(typeof(ReasoningPart), "reasoning")]
[JsonDerivedType(typeof(FilePart), "file")]
[JsonDerivedType(typeof(ToolUsePart), "tool_use")]
[JsonDerivedType(typeof(ToolResultPart), "tool_result")]
[JsonDerivedType(typeof(StepPart), "step")]
[JsonDerivedType(typeof(InstructionsPart), "instructions")]
[JsonDerivedType(typeof(SummaryPart), "summary")]
[JsonDerivedType(typeof(PlanPart), "plan")]
[JsonDerivedType(typeof(HookPart), "hook")]
public abstract record MessagePart
{
    public required string Id { get; init; }

    /// <summary>Which kind this part is (the wire's <c>kind</c>, written by the serializer from the type).</summary>
    [JsonIgnore]
    public PartKind Kind => this switch
    {
        TextPart => PartKind.Text,
        ReasoningPart => PartKind.Reasoning,
        FilePart => PartKind.File,
        ToolUsePart => PartKind.ToolUse,
        ToolResultPart => PartKind.ToolResult,
        InstructionsPart => PartKind.Instructions,
        SummaryPart => PartKind.Summary,
        PlanPart => PartKind.Plan,
        HookPart => PartKind.Hook,
        _ => PartKind.Step,
    };
}
