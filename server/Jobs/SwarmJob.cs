using System.Text.Json;
using Plue.Agents;
using Plue.Protocol;
using Plue.Transcripts;

namespace Plue.Jobs;

/// <summary>
/// A job's events (docs/JOB-EVENTS.md) applied to its sub-task here as they arrive: each part into the task's
/// transcript (told to the window as any message's change), its cost onto the answer it belongs to (so the tree's
/// roll-up and caps count it as any task's), the bundles it sends gathered, and its end. Lines are taken once, in
/// their order (<c>seq</c>): a log line seen twice (logs followed again after a break) is skipped.
/// </summary>
internal sealed class SwarmJob
{
    private readonly string _taskId;
    private readonly MessageStore _messages;
    private readonly TranscriptEvents _transcript;
    private readonly TaskEvents _events;
    private readonly string _instanceId;
    private readonly string? _modelId;
    /// <summary>Each message mirrored here, with its parts' ids in order.</summary>
    private readonly Dictionary<string, List<string>> _parts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemoryStream> _bundles = new(StringComparer.Ordinal);
    /// <summary>What each answer cost, as its job's cumulative figures were handed out to it.</summary>
    private readonly Dictionary<string, (decimal Usd, long Input, long Output)> _answerCost = new(StringComparer.Ordinal);
    private (decimal Usd, long Input, long Output) _counted;
    private string? _lastAnswer;
    /// <summary>A cost line that came before any answer could carry it, put on the first that comes.</summary>
    private (decimal Usd, string? Source, long Input, long Output)? _pendingCost;
    private long _seq;

    /// <param name="seedCosts">
    /// A new job: what each answer cost in earlier jobs stays its and this job's figures add to it. False for a job
    /// followed again from its first line (a restarted sidecar): its figures are counted anew, not twice.
    /// </param>
    public SwarmJob(string taskId, MessageStore messages, TranscriptEvents transcript, TaskEvents events, string instanceId, string? modelId, bool seedCosts)
    {
        (_taskId, _messages, _transcript, _events, _instanceId, _modelId) = (taskId, messages, transcript, events, instanceId, modelId);
        foreach (var message in messages.Messages(taskId))
        {
            _parts[message.Id] = [.. message.Parts.Select(p => p.Id)];
            // What an answer cost in an earlier job stays its: this job's figures add to it.
            if (seedCosts && message.Role == MessageRole.Assistant) _answerCost[message.Id] = (message.CostUsd ?? 0, message.Usage?.Input ?? 0, message.Usage?.Output ?? 0);
        }
    }

    /// <summary>The node its job runs on, once the swarm placed it.</summary>
    public string? Node { get; set; }
    /// <summary>Its done line, once read.</summary>
    public JobEnd? Done { get; private set; }
    /// <summary>The call it stopped at to wait for the user (its waiting line), when it did.</summary>
    public (string CallId, string Tool, string Summary)? Waiting { get; private set; }
    /// <summary>Its last line on stderr: what a job that ends with no done line last said.</summary>
    public string? LastDiagnostic { get; private set; }
    /// <summary>What this job's run has cost so far (its last cost line).</summary>
    public decimal CostUsd => _counted.Usd;
    /// <summary>Called when its cost moved: the tree's caps are looked at then.</summary>
    public Action? CostMoved { get; set; }
    /// <summary>Whether any event came: the job started Plue's runner.</summary>
    public bool Started => _seq > 0;

    /// <summary>Takes one log line; true when it was the job's done line.</summary>
    public async ValueTask<bool> TakeAsync(string line, bool stderr)
    {
        if (stderr)
        {
            if (line.Trim() is { Length: > 0 } said) LastDiagnostic = said.StartsWith("plue: ", StringComparison.Ordinal) ? said[6..] : said;
            return false;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return false; // not an event: the image wrote something of its own
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("seq", out var seqAt) || !seqAt.TryGetInt64(out var seq) || seq <= _seq) return false;
            _seq = seq;
            return await ApplyAsync(root.GetProperty("kind").GetString(), root).ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> ApplyAsync(string? kind, JsonElement e)
    {
        switch (kind)
        {
            case "part":
                await PartAsync(e.GetProperty("message_id").GetString()!, e.TryGetProperty("role", out var role) && role.GetString() == "user" ? MessageRole.User : MessageRole.Assistant,
                    e.GetProperty("part").Deserialize(PlueJsonContext.Default.MessagePart)!).ConfigureAwait(false);
                return false;
            case "cost":
                Cost(e.GetProperty("usd").GetDecimal(), e.GetProperty("source").GetString(), e.GetProperty("input_tokens").GetInt64(), e.GetProperty("output_tokens").GetInt64());
                return false;
            case "waiting":
                Waiting = (e.GetProperty("call_id").GetString() ?? "", e.GetProperty("tool").GetString() ?? "", e.GetProperty("summary").GetString() ?? "");
                return false;
            case "bundle":
                Chunk(e.GetProperty("name").GetString()!, e.GetProperty("data").GetBytesFromBase64());
                return false;
            case "done":
                Done = new JobEnd(e.GetProperty("status").GetString() ?? "error", e.TryGetProperty("error", out var error) ? error.GetString() : null);
                return true;
            default:
                return false; // status and tool lines: the parts say the same, and the run's own state says where it is
        }
    }

    /// <summary>A part new or changed: added to its message (made when it is the first), or replaced in it.</summary>
    private async Task PartAsync(string messageId, MessageRole role, MessagePart part)
    {
        if (!_parts.TryGetValue(messageId, out var parts))
        {
            _parts[messageId] = [part.Id];
            _messages.InsertMessage(new SessionMessage
            {
                Id = messageId, SessionId = _taskId, Seq = _messages.NextSeq(_taskId), Role = role, Status = MessageStatus.Complete, Parts = [part],
                ModelId = role == MessageRole.Assistant ? _modelId : null, InstanceId = role == MessageRole.Assistant ? _instanceId : null, CreatedAt = DateTimeOffset.UtcNow,
            }, owner: null);
        }
        else if (parts.Contains(part.Id))
        {
            _messages.UpdatePart(part);
        }
        else
        {
            _messages.InsertPart(messageId, parts.Count, part);
            parts.Add(part.Id);
        }
        if (role == MessageRole.Assistant) _lastAnswer = messageId;
        if (_lastAnswer is not null && _pendingCost is { } pending)
        {
            _pendingCost = null;
            Cost(pending.Usd, pending.Source, pending.Input, pending.Output);
        }
        if (_messages.Message(messageId) is { } stored) await _transcript.MessageUpdatedAsync(stored).ConfigureAwait(false);
    }

    /// <summary>The job's cost so far (cumulative for its run): what is new is put on the answer it last sent.</summary>
    private void Cost(decimal usd, string? source, long input, long output)
    {
        if (_lastAnswer is not { } answer)
        {
            _pendingCost = (usd, source, input, output);
            return;
        }
        var (dUsd, dIn, dOut) = (usd - _counted.Usd, input - _counted.Input, output - _counted.Output);
        _counted = (usd, input, output);
        var sum = _answerCost.GetValueOrDefault(answer);
        sum = (sum.Usd + dUsd, sum.Input + dIn, sum.Output + dOut);
        _answerCost[answer] = sum;
        var (costSource, cost) = source switch
        {
            "provider" => (CostSource.Provider, (decimal?)sum.Usd),
            "catalog" => (CostSource.Catalog, sum.Usd),
            _ => (CostSource.Unknown, null),
        };
        _messages.Finish(answer, MessageStatus.Complete, null, new TokenUsage { Input = sum.Input, Output = sum.Output }, cost, costSource, _modelId);
        _events.CostChanged(_taskId);
        CostMoved?.Invoke();
    }

    private void Chunk(string name, byte[] data)
    {
        if (!_bundles.TryGetValue(name, out var bundle)) _bundles[name] = bundle = new MemoryStream();
        bundle.Write(data);
    }

    /// <summary>A bundle the job sent whole (result, state, transcript); null when it sent none.</summary>
    public byte[]? Bundle(string name) => _bundles.TryGetValue(name, out var bundle) ? bundle.ToArray() : null;

    /// <summary>The report: the text of its last answer after that answer's last tool traffic.</summary>
    public string Report()
    {
        if (_lastAnswer is null || _messages.Message(_lastAnswer) is not { } answer) return "";
        var parts = answer.Parts.ToList();
        var lastTool = parts.FindLastIndex(p => p is ToolUsePart or ToolResultPart { ToolCallId: not null });
        return string.Concat(parts.Skip(lastTool + 1).OfType<TextPart>().Select(p => p.Text)).Trim();
    }
}
