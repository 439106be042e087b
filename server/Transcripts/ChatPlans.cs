using System.Text;
using System.Text.RegularExpressions;
using Plue.Protocol;

namespace Plue.Transcripts;

/// <summary>
/// The plans of a chat: the Markdown checklist a Plan-mode answer ends with, kept on that answer as a
/// <see cref="PlanPart"/>; started by handing it to another mode; ticked off by the agent's <c>plan_update</c> calls.
/// The plan lives in the transcript, so it outlives a closed chat and a restarted sidecar. Each change is told as
/// <c>session/messageUpdated</c>.
/// </summary>
public sealed partial class ChatPlans(MessageStore messages, TranscriptEvents events)
{
    /// <summary>The tool a turn carrying out a started plan gets, to tick its steps off.</summary>
    public const string ToolName = "plan_update";

    /// <summary>At most this many steps are kept: a plan, not a document.</summary>
    public const int MaxItems = 50;

    [GeneratedRegex(@"^\s{0,3}[-*+]\s+\[([ xX])\]\s+(\S.*?)\s*$")]
    private static partial Regex ChecklistLine();

    /// <summary>The last checklist of <paramref name="text"/> (its lines together, blank lines between them allowed); empty when it has none.</summary>
    public static IReadOnlyList<PlanItem> Parse(string text)
    {
        var runs = new List<List<PlanItem>>();
        List<PlanItem>? run = null;
        var inCode = false;
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            // A checklist shown inside a code block is an example, not the plan.
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) inCode = !inCode;
            var match = inCode ? null : ChecklistLine().Match(line);
            if (match is { Success: true })
            {
                if (run is null) runs.Add(run = []);
                run.Add(new PlanItem { Text = match.Groups[2].Value, Done = match.Groups[1].Value is "x" or "X" });
            }
            // A step's wrapped or nested line stays in the step's run; other text ends the run.
            else if (line.Length > 0 && !char.IsWhiteSpace(line[0])) run = null;
        }
        return runs.Count == 0 ? [] : [.. runs[^1].Take(MaxItems)];
    }

    /// <summary>Keeps the plan a finished Plan-mode answer ended with on that answer; null when it has no checklist.</summary>
    public async Task<PlanPart?> RecordAsync(SessionMessage answer)
    {
        var text = string.Join("\n", answer.Parts.OfType<TextPart>().Select(p => p.Text));
        var items = Parse(text);
        if (items.Count == 0) return null;
        var plan = new PlanPart { Id = TranscriptIds.New(), Items = items };
        messages.InsertPart(answer.Id, answer.Parts.Count, plan);
        await TellAsync(answer.Id).ConfigureAwait(false);
        return plan;
    }

    /// <summary>The plan on <paramref name="messageId"/>, or the chat's latest when null; null when there is none.</summary>
    public (SessionMessage Message, PlanPart Plan)? Find(string sessionId, string? messageId)
    {
        foreach (var message in Enumerable.Reverse(messages.Messages(sessionId)))
        {
            if (messageId is not null && message.Id != messageId) continue;
            if (message.Parts.OfType<PlanPart>().LastOrDefault() is { } plan) return (message, plan);
            if (messageId is not null) return null;
        }
        return null;
    }

    /// <summary>The plan being carried out: the chat's latest, once started, while a step is left.</summary>
    public (SessionMessage Message, PlanPart Plan)? Active(string sessionId) =>
        Find(sessionId, null) is { Plan: { StartedMode: not null } plan } found && plan.Items.Any(i => !i.Done) ? found : null;

    public async Task<PlanPart> StartAsync(SessionMessage message, PlanPart plan, string modeId)
    {
        var started = plan with { StartedMode = modeId };
        messages.UpdatePart(started);
        await TellAsync(message.Id).ConfigureAwait(false);
        return started;
    }

    /// <summary>Marks <paramref name="steps"/> (numbered from 1) done or not; the words say what is wrong when a step is not the plan's.</summary>
    public async Task<PlanPart> UpdateAsync(string sessionId, IReadOnlyList<int> steps, bool done)
    {
        var (message, plan) = Find(sessionId, null) is { Plan.StartedMode: not null } found ? found
            : throw new InvalidOperationException("There is no started plan in this chat; nothing to update.");
        if (steps.Count == 0) throw new ArgumentException("Name the steps: their numbers, from 1.");
        if (steps.FirstOrDefault(s => s < 1 || s > plan.Items.Count) is var wrong and not 0)
            throw new ArgumentException($"Step {wrong} is not in the plan: its steps are 1 to {plan.Items.Count}.");
        var items = plan.Items.Select((item, i) => steps.Contains(i + 1) ? item with { Done = done } : item).ToList();
        var updated = plan with { Items = items };
        messages.UpdatePart(updated);
        await TellAsync(message.Id).ConfigureAwait(false);
        // The message Start sent shows the plan too: its copy ticks with the card, so the two never disagree.
        if (HandoffAfter(sessionId, message.Id) is var (handoff, words))
        {
            messages.UpdatePart(words with { Text = Handoff(updated) });
            await TellAsync(handoff.Id).ConfigureAwait(false);
        }
        return updated;
    }

    /// <summary>The message Start sent for the plan on <paramref name="planMessageId"/>, with its text; null when there is none.</summary>
    private (SessionMessage Message, TextPart Words)? HandoffAfter(string sessionId, string planMessageId)
    {
        var after = false;
        foreach (var message in messages.Messages(sessionId))
        {
            if (message.Id == planMessageId) after = true;
            else if (after && message.Role == MessageRole.User && message.Parts.OfType<TextPart>().FirstOrDefault() is { } words
                && words.Text?.StartsWith(HandoffLead, StringComparison.Ordinal) == true)
                return (message, words);
        }
        return null;
    }

    /// <summary>The steps, numbered, each with its box: what the agent reads of the plan.</summary>
    public static string Steps(PlanPart plan)
    {
        var text = new StringBuilder();
        for (var i = 0; i < plan.Items.Count; i++)
            text.Append(i + 1).Append(". [").Append(plan.Items[i].Done ? 'x' : ' ').Append("] ").Append(plan.Items[i].Text).Append('\n');
        return text.ToString().TrimEnd();
    }

    /// <summary>The message Start sends: the plan, and how to report each step.</summary>
    public static string Handoff(PlanPart plan) => $"{HandoffLead} When a step is done, call {ToolName} with its number.\n\n{Steps(plan)}";

    private const string HandoffLead = "Carry out this plan, step by step.";

    /// <summary>What a turn carrying out a plan is told in its system prompt, with the steps as they stand.</summary>
    public static string Prompt(PlanPart plan) =>
        $"You are carrying out the plan below. After finishing a step, call {ToolName} with its number (steps: [n], done: true) before going on; do not redo the steps already done.\n\n{Steps(plan)}";

    private async Task TellAsync(string messageId)
    {
        if (messages.Message(messageId) is not { } updated) return;
        try
        {
            await events.MessageUpdatedAsync(updated).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or InvalidOperationException)
        {
            // No client to tell (the CLI, or a window that closed): the plan is in the store.
        }
    }
}
