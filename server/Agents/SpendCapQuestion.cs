using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents;

/// <summary>
/// Asks the user, through <c>permission/request</c> with the tool <c>spend_cap</c>, whether a task paused at its
/// spend cap may spend more: allow raises the cap (to the amount in the answer's message, else double) and goes
/// on; deny stops it. No answer (the client cannot ask, or fails) leaves it paused for <c>task/resume</c>.
/// </summary>
public sealed partial class SpendCapQuestion(JsonRpcPeer peer, ILogger<SpendCapQuestion> logger)
{
    public const string Tool = "spend_cap";

    /// <summary>The user's answer: a new cap, stop, or null when nobody answered.</summary>
    public sealed record Answer(decimal? RaiseTo, bool Stop);

    public async Task<Answer?> AskAsync(AgentTask task, decimal spent, decimal cap)
    {
        try
        {
            var input = JsonSerializer.SerializeToElement(new SpendCapInput { SpentUsd = spent, CapUsd = cap }, PlueJsonContext.Default.SpendCapInput);
            var answer = await peer.RequestAsync(Contract.PermissionRequest, new PermissionRequestParams
            {
                TaskId = task.Id, Tool = Tool, Input = input, Reason = task.StatusReason,
            }).ConfigureAwait(false);
            return answer?.Decision switch
            {
                "allow" or "allowAlways" => new Answer(NewCap(answer.Message, spent, cap), Stop: false),
                "deny" => new Answer(null, Stop: true),
                _ => null,
            };
        }
        catch (Exception e) when (e is RpcException or IOException or JsonException or InvalidOperationException)
        {
            LogUnanswered(task.Id, e.Message);
            return null;
        }
    }

    /// <summary>The amount the user typed when it is above what was spent; otherwise double the cap (at least what was spent, doubled).</summary>
    private static decimal NewCap(string? message, decimal spent, decimal cap) =>
        decimal.TryParse(message?.Trim().TrimStart('$'), NumberStyles.Number, CultureInfo.InvariantCulture, out var typed) && typed > spent
            ? typed
            : Math.Max(cap, spent) * 2;

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} stays paused at its spend cap: the user was not asked ({Reason})")]
    private partial void LogUnanswered(string taskId, string reason);
}
