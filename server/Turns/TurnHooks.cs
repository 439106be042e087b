using System.Text.Json;
using System.Text.Json.Nodes;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Transcripts;

namespace Plue.Turns;

/// <summary>
/// Every agent hook a turn passes (docs/CUSTOMIZATIONS.md, Agent hooks), for a chat and a task alike: SessionStart and
/// UserPromptSubmit before the message is sent, PreToolUse and PostToolUse around each tool call (<see cref="PreToolUse"/>,
/// <see cref="PostToolUse"/>, run by the tool runner and an ACP agent's approver), and Stop after an answer with no tool
/// call, which may keep the turn going a bounded number of times.
/// </summary>
public sealed class TurnHooks(IAgentHooks hooks, TranscriptTurns turns)
{
    /// <summary>
    /// The message passes its hooks: SessionStart on the conversation's <paramref name="first"/> message, then
    /// UserPromptSubmit (exit 2 blocks it: nothing is sent, and the user reads why). The notices are both events'.
    /// </summary>
    public async Task<AgentHookOutcome> PromptAsync(TurnPlace place, string prompt, bool first, CancellationToken cancellationToken)
    {
        var started = first ? await hooks.RunAsync(Call("SessionStart", place), cancellationToken).ConfigureAwait(false) : AgentHookOutcome.None;
        var submitted = await hooks.RunAsync(Call("UserPromptSubmit", place) with { Prompt = prompt }, cancellationToken).ConfigureAwait(false);
        return submitted with { Notices = [.. started.Notices, .. submitted.Notices] };
    }

    /// <summary>
    /// Runs the Stop hooks after an answer with no tool call (what they did shown on it); true when one (exit 2) keeps
    /// the turn going, at most <see cref="AgentHookTurns.MaxStopContinuations"/> times, its reason stored for the model.
    /// </summary>
    /// <param name="stops">How many times Stop hooks kept this turn going already.</param>
    public async Task<bool> StopAsync(TurnPlace place, SessionMessage answer, int stops, CancellationToken cancellationToken)
    {
        var stop = await hooks.RunAsync(Call("Stop", place) with { StopHookActive = stops > 0 }, cancellationToken).ConfigureAwait(false);
        await turns.AppendAsync(answer, [.. stop.Notices.Where(n => n.Outcome != "blocked")]).ConfigureAwait(false);
        if (!stop.Blocked || stops >= AgentHookTurns.MaxStopContinuations) return false;
        await turns.AddUserAsync(place.Id, [AgentHookTurns.StopReason(TranscriptIds.New(), stop.Feedback!)]).ConfigureAwait(false);
        return true;
    }

    /// <summary>The PreToolUse event of a call of Plue's tool <paramref name="tool"/>; its PostToolUse is <see cref="PostToolUse"/> of it.</summary>
    public static AgentHookCall PreToolUse(TurnPlace place, string tool, JsonElement input) =>
        Call("PreToolUse", place) with { Tool = tool, ToolInput = JsonNode.Parse(input.GetRawText()) };

    /// <summary>The PostToolUse event of the call <paramref name="pre"/> announced, with what the tool answered.</summary>
    public static AgentHookCall PostToolUse(AgentHookCall pre, string output, bool isError) =>
        pre with { Event = "PostToolUse", ToolResponse = new JsonObject { ["output"] = output, ["is_error"] = isError } };

    private static AgentHookCall Call(string hookEvent, TurnPlace place) =>
        new(hookEvent, place.Id, place.Folders, place.ClaudeCode) { Sandbox = place.Sandbox };
}
