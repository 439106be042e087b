using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Plue.Protocol;

namespace Plue.Sessions;

/// <summary>
/// Folds one streamed answer into parts: consecutive text (or reasoning) grows one part,
/// a change of kind opens the next. Deltas reach the client at once; new parts and text reach the
/// store through <see cref="TranscriptWriter"/>, so the stream never waits for SQLite.
/// </summary>
internal sealed class AnswerStream(SessionMessage answer, MessageStore messages, TranscriptWriter writer, SessionEvents events)
{
    /// <summary>Where a backend that reports its own cost (the claude CLI) puts it.</summary>
    public const string CostKey = "plue.costUsd";

    private readonly List<MessagePart> _parts = [];
    private readonly HashSet<int> _changed = [];
    private MessagePart? _open;

    public async Task<SessionMessage> RunAsync(IChatClient client, List<ChatMessage> history, ChatOptions options,
        Func<TokenUsage, decimal?> cost, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var usage = TokenUsage.Zero;
        decimal? reportedCost = null;
        string? finish = null, model = null, error = null;
        var status = "complete";
        try
        {
            try
            {
                await foreach (var update in client.GetStreamingResponseAsync(history, options, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var content in update.Contents)
                    {
                        switch (content)
                        {
                            case TextReasoningContent reasoning:
                                await AppendAsync("reasoning", reasoning.Text).ConfigureAwait(false);
                                if (reasoning.ProtectedData is { } signature) Change(_open!, p => p with { Signature = signature });
                                break;
                            case TextContent text:
                                await AppendAsync("text", text.Text).ConfigureAwait(false);
                                break;
                            case FunctionCallContent call:
                                Add(new MessagePart
                                {
                                    Id = ChatTurnRunner.NewId(), Kind = "tool_use", ToolCallId = call.CallId, Name = call.Name, State = "running",
                                    Input = call.Arguments is null ? null : JsonSerializer.SerializeToNode(call.Arguments, PlueJsonContext.Default.IDictionaryStringObject),
                                });
                                break;
                            case FunctionResultContent result:
                                var isError = result.Exception is not null;
                                var use = _parts.FindIndex(p => p.Kind == "tool_use" && p.ToolCallId == result.CallId);
                                if (use >= 0) Change(_parts[use], p => p with { State = isError ? "error" : "completed" });
                                Add(new MessagePart { Id = ChatTurnRunner.NewId(), Kind = "tool_result", ToolCallId = result.CallId, Output = result.Result?.ToString(), IsError = isError });
                                break;
                            case UsageContent used:
                                usage = usage.Add(UsageMapping.From(used.Details));
                                break;
                            case ErrorContent failure:
                                error = failure.Message;
                                break;
                        }
                    }
                    if (update.FinishReason is { } reason) finish = reason.Value;
                    model ??= update.ModelId;
                    if (update.AdditionalProperties?.TryGetValue(CostKey, out var c) == true && c is not null) reportedCost = Convert.ToDecimal(c, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                status = "cancelled";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                status = "error";
                error = e.Message;
            }
        }
        finally
        {
            // Everything streamed is stored before the message is finished (and read back).
            await writer.FlushAsync().ConfigureAwait(false);
        }
        if (error is not null && status == "complete") status = "error";

        foreach (var index in _changed) messages.UpdatePart(Current(index));
        var turnCost = reportedCost ?? cost(usage);
        var step = new MessagePart
        {
            Id = ChatTurnRunner.NewId(), Kind = "step", Usage = usage, CostUsd = turnCost, Model = model ?? answer.ModelId,
            LatencyMs = clock.ElapsedMilliseconds, FinishReason = finish ?? status,
        };
        messages.InsertPart(answer.Id, _parts.Count, step);
        messages.Finish(answer.Id, status, error, usage, turnCost, model);
        var final = messages.Message(answer.Id)!;
        await events.MessageUpdatedAsync(final).ConfigureAwait(false);
        return final;
    }

    private async Task AppendAsync(string kind, string? delta)
    {
        if (string.IsNullOrEmpty(delta)) return;
        if (_open?.Kind != kind) _open = Add(new MessagePart { Id = ChatTurnRunner.NewId(), Kind = kind, Text = "" });
        writer.Append(_open.Id, delta);
        await events.PartDeltaAsync(answer.SessionId, answer.Id, _open, delta).ConfigureAwait(false);
    }

    private MessagePart Add(MessagePart part)
    {
        _parts.Add(part);
        writer.InsertPart(answer.Id, _parts.Count - 1, part);
        if (part.Kind is not ("text" or "reasoning")) _open = null;
        return part;
    }

    // Text is stored by appending; other members changed later are written once, at the end.
    private void Change(MessagePart part, Func<MessagePart, MessagePart> change)
    {
        var index = _parts.IndexOf(part);
        _parts[index] = change(part);
        if (ReferenceEquals(_open, part)) _open = _parts[index];
        _changed.Add(index);
    }

    private MessagePart Current(int index)
    {
        var stored = messages.Message(answer.Id)!.Parts.First(p => p.Id == _parts[index].Id);
        return _parts[index] with { Text = stored.Text };
    }
}
