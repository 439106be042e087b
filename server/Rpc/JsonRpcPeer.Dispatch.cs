using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Plue.Rpc;

public sealed partial class JsonRpcPeer
{
    private async ValueTask StartRequestAsync(RequestId id, string method, JsonElement? rawParams)
    {
        var refusal = CheckLifecycle(method);
        if (refusal is { } r)
        {
            await SendErrorAsync(id, r.Code, r.Message).ConfigureAwait(false);
            return;
        }
        if (method == RpcMethods.Shutdown)
        {
            Volatile.Write(ref _state, (int)LifecycleState.ShuttingDown);
            _shutdownReceived = true;
            if (ShutdownRequested is { } onShutdown) await onShutdown().ConfigureAwait(false);
            await SendResultAsync(id, w => w.WriteNullValue()).ConfigureAwait(false);
            return;
        }

        // A feature method may arrive while the features are still registering: wait for them, not answer -32601.
        if (!_router.HasRequest(method) && !_router.Completion.IsCompleted) await _router.Completion.ConfigureAwait(false);
        RequestRouter.BoundRequest? call;
        try
        {
            if (!_router.TryBindRequest(method, rawParams, out call))
            {
                await SendErrorAsync(id, ErrorCodes.MethodNotFound, $"Method not found: {method}").ConfigureAwait(false);
                return;
            }
        }
        catch (RpcException e)
        {
            await SendErrorAsync(id, e.Code, e.Message).ConfigureAwait(false);
            return;
        }

        // A quick read is answered here on the reading loop when nothing else runs (so nothing waits behind it but the
        // next message): the same handler, result and errors, one thread hand-off fewer each way it is asked.
        var onReader = _router.OnReader(method) && _inflight.IsEmpty;
        var cts = new CancellationTokenSource();
        if (!_inflight.TryAdd(id, cts))
        {
            cts.Dispose();
            await SendErrorAsync(id, ErrorCodes.InvalidRequest, $"Invalid request: id {id} is already in use by a running request").ConfigureAwait(false);
            return;
        }

        var context = new RequestContext(this, id, method) { Turn = InArrivalOrder(method) };
        if (method == RpcMethods.Initialize)
        {
            // Served in order: nothing else may run before the client knows the server is initialized.
            if (await RunRequestAsync(id, call!, context, cts).ConfigureAwait(false))
            {
                Interlocked.CompareExchange(ref _state, (int)LifecycleState.Running, (int)LifecycleState.AwaitingInitialize);
                _initializeAnswered.TrySetResult();
            }
            return;
        }
        if (onReader) await RunRequestAsync(id, call!, context, cts).ConfigureAwait(false);
        else _ = Task.Run(() => RunRequestAsync(id, call!, context, cts));
    }

    /// <summary>Only the reading loop calls this, in the order the requests arrived.</summary>
    private ArrivalTurn? InArrivalOrder(string method)
    {
        if (!_options.InArrivalOrder.Contains(method)) return null;
        var turn = new ArrivalTurn(_arrivedBefore);
        _arrivedBefore = turn.Done;
        return turn;
    }

    private (int Code, string Message)? CheckLifecycle(string method)
    {
        if (!_options.RequireInitialize) return null;
        return State switch
        {
            LifecycleState.AwaitingInitialize when method != RpcMethods.Initialize =>
                (ErrorCodes.ServerNotInitialized, $"Server not initialized: send 'initialize' before '{method}'"),
            LifecycleState.Running when method == RpcMethods.Initialize =>
                (ErrorCodes.InvalidRequest, "Invalid request: 'initialize' may only be sent once"),
            LifecycleState.ShuttingDown or LifecycleState.Exited =>
                (ErrorCodes.InvalidRequest, $"Invalid request: the server is shutting down and will not serve '{method}'"),
            _ => null,
        };
    }

    /// <summary>Runs one handler and answers; returns whether it succeeded.</summary>
    private async Task<bool> RunRequestAsync(RequestId id, RequestRouter.BoundRequest call, RequestContext context, CancellationTokenSource cts)
    {
        try
        {
            var write = await call(context, cts.Token).ConfigureAwait(false);
            await SendResultAsync(id, write).ConfigureAwait(false);
            _options.RequestAnswered?.Invoke(context.Method);
            return true;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await SendErrorAsync(id, ErrorCodes.RequestCancelled, "Request cancelled").ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            await SendErrorAsync(id, e.Code, e.Message, e.Detail).ConfigureAwait(false);
        }
        catch (Exception e) when (_options.Explain?.Invoke(e) is { } explained)
        {
            await SendErrorAsync(id, explained.Code, explained.Message, explained.Detail).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogHandlerFailed(e, context.Method);
            await SendErrorAsync(id, ErrorCodes.InternalError, $"Internal error in {context.Method}: {e.Message}").ConfigureAwait(false);
        }
        finally
        {
            context.Turn?.Pass();
            _inflight.TryRemove(id, out _);
            cts.Dispose();
            if (_inflight.IsEmpty) Quiet?.Invoke();
        }
        return false;
    }

    private async ValueTask HandleNotificationAsync(string method, JsonElement? rawParams)
    {
        if (method == _options.CancelNotification.Name) method = RpcMethods.CancelRequest;
        switch (method)
        {
            case RpcMethods.Exit:
                Volatile.Write(ref _state, (int)LifecycleState.Exited);
                return;
            case RpcMethods.CancelRequest:
                if (rawParams is { } p && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("id", out var rawId)
                    && RequestId.TryRead(rawId, out var id))
                {
                    if (_inflight.TryGetValue(id, out var cts)) TryCancel(cts);
                }
                else LogBadNotification(method, "params must be {id: integer | string}");
                return;
        }
        if (State == LifecycleState.AwaitingInitialize && _options.RequireInitialize)
        {
            LogDroppedBeforeInitialize(method);
            return;
        }

        try
        {
            if (!_router.Completion.IsCompleted && !_router.HasNotification(method) && !method.StartsWith("$/", StringComparison.Ordinal) && method != RpcMethods.Initialized)
                await _router.Completion.ConfigureAwait(false);
            if (!_router.TryBindNotification(method, rawParams, out var call))
            {
                // LSP: notifications starting with $/ may be ignored; others are worth a line in the log.
                if (!method.StartsWith("$/", StringComparison.Ordinal) && method != RpcMethods.Initialized) LogUnknownNotification(method);
                return;
            }
            await call!(new RequestContext(this, null, method)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            LogBadNotification(method, e.Message);
        }
        catch (Exception e)
        {
            LogHandlerFailed(e, method);
        }
    }

    private ValueTask SendResultAsync(RequestId id, Action<Utf8JsonWriter> writeResult) =>
        _writer.WriteAsync(Serialize(w =>
        {
            w.WritePropertyName("id");
            id.WriteTo(w);
            w.WritePropertyName("result");
            writeResult(w);
        }));

    private ValueTask SendErrorAsync(RequestId? id, int code, string message, JsonElement? data = null) =>
        _writer.WriteAsync(Serialize(w =>
        {
            w.WritePropertyName("id");
            if (id is { } known) known.WriteTo(w);
            else w.WriteNullValue();
            w.WriteStartObject("error");
            w.WriteNumber("code", code);
            w.WriteString("message", message);
            if (data is { } d)
            {
                w.WritePropertyName("data");
                d.WriteTo(w);
            }
            w.WriteEndObject();
        }));

    // Each thread's buffer and writer, used again for every message it sends: a streamed delta is one notification,
    // and making both anew for each was a third of its serialization.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_json;

    private static byte[] Serialize(Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var w = t_json ??= new Utf8JsonWriter(buffer, s_writerOptions);
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        try
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            writeMembers(w);
            w.WriteEndObject();
            w.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            // A large message (a whole transcript) does not keep its buffer alive on the thread.
            if (buffer.Capacity > 64 * 1024) (t_buffer, t_json) = (null, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Closing the connection: {Reason}")]
    private partial void LogFatalFrame(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unreadable message: {Reason}")]
    private partial void LogBadFrame(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored notification {Method}: {Reason}")]
    private partial void LogBadNotification(string method, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unknown notification {Method} ignored")]
    private partial void LogUnknownNotification(string method);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notification {Method} dropped: the server is not initialized yet")]
    private partial void LogDroppedBeforeInitialize(string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Response with id {Id} matches no request of ours")]
    private partial void LogUnmatchedResponse(string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler for {Method} failed")]
    private partial void LogHandlerFailed(Exception exception, string method);
}
