using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Plue.Rpc;

/// <summary>
/// A JSON-RPC 2.0 peer over LSP framing (or one message per line, <see cref="JsonRpcPeerOptions.Framing"/>): serves requests concurrently (each with its own
/// cancellation), sends requests and notifications the other way, and keeps the LSP
/// lifecycle. It knows methods only by name: features register handlers in the router.
/// </summary>
public sealed partial class JsonRpcPeer : IAsyncDisposable
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IFrameReader _reader;
    private readonly FrameWriter _writer;
    private readonly RequestRouter _router;
    private readonly ILogger _logger;
    private readonly JsonRpcPeerOptions _options;
    private readonly ConcurrentDictionary<RequestId, CancellationTokenSource> _inflight = new();
    private readonly ConcurrentDictionary<RequestId, TaskCompletionSource<JsonElement>> _pending = new();
    private long _nextId;
    // The last in-arrival-order request's turn (ArrivalTurn): read and replaced by the reading loop alone.
    private Task _arrivedBefore = Task.CompletedTask;
    private int _state;
    private bool _shutdownReceived;
    private bool _closed;
    private readonly TaskCompletionSource _initializeAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JsonRpcPeer(Stream input, Stream output, RequestRouter router, ILogger<JsonRpcPeer> logger, JsonRpcPeerOptions? options = null)
    {
        _options = options ?? new JsonRpcPeerOptions();
        _reader = _options.Framing == Framing.Lsp ? new FrameReader(input, _options.MaxMessageBytes) : new LineReader(input, _options.MaxMessageBytes);
        _writer = new FrameWriter(output, _options.Framing, _options.OutputRoom);
        _router = router;
        _logger = logger;
        _state = (int)(_options.RequireInitialize ? LifecycleState.AwaitingInitialize : LifecycleState.Running);
    }

    public LifecycleState State => (LifecycleState)Volatile.Read(ref _state);

    /// <summary>Called when a request has been answered and no other is running.</summary>
    public Action? Quiet { get; set; }

    /// <summary>Whether the client is waiting for an answer to any request.</summary>
    public bool Busy => !_inflight.IsEmpty;

    /// <summary>Completes once <c>initialize</c> has been answered: work that may wait (warming up) starts then, not before the answer.</summary>
    public Task InitializeAnswered => _initializeAnswered.Task;

    /// <summary>Called when <c>shutdown</c> arrives, before it is answered: release resources here.</summary>
    public Func<ValueTask>? ShutdownRequested { get; set; }

    /// <summary>Serves until <c>exit</c>, end of input, or a fatal framing error. Returns the LSP exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (State != LifecycleState.Exited)
            {
                Frame? frame;
                try
                {
                    // WaitAsync: a read blocked on a console pipe ignores cancellation; stopping must not wait for input.
                    frame = await _reader.ReadAsync(cancellationToken).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (FrameTooLargeException e)
                {
                    LogFatalFrame(e.Message);
                    break;
                }
                if (frame is null) break;
                var body = frame.Value.Body is { } bytes ? WellFormedUtf8.Repair(bytes) : null;
                if (frame.Value.Error is { } headerError)
                {
                    await RefuseBadFrameAsync(headerError, body).ConfigureAwait(false);
                    continue;
                }
                try
                {
                    await DispatchAsync(body!).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One message must never end the connection, whatever it holds.
                    LogHandlerFailed(e, "an incoming message");
                    await SendErrorAsync(IdOf(body!), ErrorCodes.InternalError, $"Internal error: the message could not be handled ({e.Message})").ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var cts in _inflight.Values) TryCancel(cts);
            Volatile.Write(ref _closed, true);
            foreach (var pending in _pending.Values) pending.TrySetException(new IOException("the connection closed before the client answered"));
        }
        return State == LifecycleState.Exited && _shutdownReceived ? 0 : 1;
    }

    private async Task RefuseBadFrameAsync(string headerError, byte[]? body)
    {
        LogBadFrame(headerError);
        // Headers that still said where the body ends: its request is refused by id, so no caller waits forever.
        if (body is not null && (IdOf(body) ?? MessageHead.Peek(body).Id) is { } refused)
            await SendErrorAsync(refused, ErrorCodes.InvalidRequest, $"Invalid request: {headerError}; the message was not served").ConfigureAwait(false);
        else await SendErrorAsync(null, ErrorCodes.ParseError, $"Parse error: {headerError}").ConfigureAwait(false);
    }

    /// <summary>
    /// Cancels a running request's source. Cancelling one request can end another at that moment (its handler's callback
    /// completes what the other waits for), which disposes the other's source: that one needs no cancelling.
    /// </summary>
    private static void TryCancel(CancellationTokenSource cts)
    {
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Sends a notification of the contract to the client.</summary>
    public ValueTask NotifyAsync<T>(NotificationType<T> method, T value, CancellationToken cancellationToken = default) =>
        NotifyAsync(method.Name, value, method.ParamsType, cancellationToken);

    /// <summary>Sends a request of the contract to the client and waits for its answer.</summary>
    public Task<TResult> RequestAsync<TParams, TResult>(RequestType<TParams, TResult> method, TParams value, CancellationToken cancellationToken = default) =>
        RequestAsync(method.Name, value, method.ParamsType, method.ResultType, cancellationToken);

    private ValueTask NotifyAsync<T>(string method, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken = default)
    {
        var written = _writer.WriteAsync(Serialize(w =>
        {
            w.WriteString("method", method);
            w.WritePropertyName("params");
            JsonSerializer.Serialize(w, value, type);
        }), cancellationToken);
        _options.NotificationWritten?.Invoke(method);
        return written;
    }

    /// <summary>Cancelling sends <c>$/cancelRequest</c>.</summary>
    private async Task<TResult> RequestAsync<TParams, TResult>(string method, TParams value, JsonTypeInfo<TParams> paramsType,
        JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken = default)
    {
        var id = new RequestId(Interlocked.Increment(ref _nextId));
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            // Asked after the input ended: no answer can come, and nothing would fail the wait.
            if (Volatile.Read(ref _closed)) throw new IOException("the connection is closed: no client can answer");
            await _writer.WriteAsync(Serialize(w =>
            {
                w.WritePropertyName("id");
                id.WriteTo(w);
                w.WriteString("method", method);
                w.WritePropertyName("params");
                JsonSerializer.Serialize(w, value, paramsType);
            }), cancellationToken).ConfigureAwait(false);

            await using var registration = cancellationToken.Register(() =>
            {
                if (_pending.TryRemove(id, out var tcs) && tcs.TrySetCanceled(cancellationToken))
                    _ = NotifyAsync(_options.CancelNotification, new CancelParams { Id = id }).AsTask();
            }).ConfigureAwait(false);
            var result = await answer.Task.ConfigureAwait(false);
            // An answer asked for as JSON is the answer's copy itself, not written out and parsed a third time.
            if (typeof(TResult) == typeof(JsonElement)) return (TResult)(object)result;
            return result.Deserialize(resultType)!;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync() => await _writer.DisposeAsync().ConfigureAwait(false);

    /// <summary>How deeply a message may nest (System.Text.Json's default): deeper is refused, never followed.</summary>
    private const int MaxDepth = 64;

    private async ValueTask DispatchAsync(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            LogBadFrame($"body is not JSON: {e.Message}");
            // A request whose head is readable is answered under its id, so its caller never waits for an answer that cannot come.
            var head = MessageHead.Peek(body);
            if (head.Id is { } id && head.Method is { } method && e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
            {
                await SendErrorAsync(id, ErrorCodes.InvalidParams,
                    $"{method}: the params are nested more than {MaxDepth} levels deep, more than any request holds; send them less deeply nested (a tool input or a record's fields flattened).").ConfigureAwait(false);
            }
            else
            {
                await SendErrorAsync(head.Id, ErrorCodes.ParseError, $"Parse error: the body{(head.Method is { } m ? $" of {m}" : "")} is not valid JSON ({e.Message})").ConfigureAwait(false);
            }
            return;
        }

        using (document)
        {
            var message = IncomingMessage.Read(document.RootElement);
            if (message.Error is { } invalid)
            {
                LogBadFrame(invalid);
                await SendErrorAsync(message.Id, ErrorCodes.InvalidRequest, $"Invalid request: {invalid}").ConfigureAwait(false);
                return;
            }
            if (message.Method is null)
            {
                CompletePending(message);
                return;
            }
            if (message.Id is { } id) await StartRequestAsync(id, message.Method, message.Params).ConfigureAwait(false);
            else await HandleNotificationAsync(message.Method, message.Params).ConfigureAwait(false);
        }
    }

    /// <summary>The id of a message's body, when it has a readable one.</summary>
    private static RequestId? IdOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var raw)
                && RequestId.TryRead(raw, out var id) ? id : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void CompletePending(IncomingMessage response)
    {
        if (response.Id is not { } id || !_pending.TryRemove(id, out var answer))
        {
            LogUnmatchedResponse(response.Id?.ToString() ?? "null");
            return;
        }
        if (response.ErrorObject is { } error)
        {
            var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : ErrorCodes.InternalError;
            var text = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            // The data too: a refusal's fields, for a caller to say them in its own words.
            answer.TrySetException(new RpcException(code, text, error.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null ? data.Clone() : null));
            return;
        }
        answer.TrySetResult(response.Result?.Clone() ?? default);
    }
}
