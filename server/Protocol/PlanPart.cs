namespace Plue.Protocol;

/// <summary>
/// The plan a Plan-mode answer ended with (its Markdown checklist, <c>- [ ] step</c>), kept on that answer. Start
/// (<c>session/startPlan</c>) hands it to an Agent-mode turn in the same chat; its items tick off as the agent reports
/// them done with the <c>plan_update</c> tool, and the chat is told each change as <c>session/messageUpdated</c>.
/// </summary>
public sealed record PlanPart : MessagePart
{
    public IReadOnlyList<PlanItem> Items { get; init; } = [];
    /// <summary>The mode the plan was handed to (a <see cref="ChatMode"/>'s id); absent until Start.</summary>
    public string? StartedMode { get; init; }
}
