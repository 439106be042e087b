using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Plue.Rpc;

/// <summary>
/// Maps method names to handlers. Params are bound (deserialized) before a handler runs,
/// so a bad shape is answered -32602 without the handler ever seeing it.
/// </summary>
public sealed class RequestRouter
{
    /// <summary>A bound call: runs the handler and writes its result.</summary>
    internal delegate ValueTask<Action<Utf8JsonWriter>> BoundRequest(RequestContext context, CancellationToken cancellationToken);
    internal delegate ValueTask BoundNotification(RequestContext context);

    // Concurrent: the peer serves its first requests while the features are still registering.
    private readonly ConcurrentDictionary<string, Func<JsonElement?, BoundRequest>> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<JsonElement?, BoundNotification>> _notifications = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="registering">
    /// True when handlers are still being registered while the peer serves (the sidecar's fast start):
    /// an unknown method then waits for <see cref="Complete"/> instead of being refused.
    /// </param>
    public RequestRouter(bool registering = false)
    {
        if (!registering) Complete();
    }

    /// <summary>Done once every handler is registered: until then an unknown method may still arrive, so callers wait.</summary>
    public Task Completion => _complete.Task;

    public void Complete() => _complete.TrySetResult();

    /// <summary>
    /// Serves a request of the contract; the delegate's types are the contract's, checked by the compiler. The JSON
    /// metadata is read on the first call, not here: getting a source-generated <see cref="JsonTypeInfo"/> configures
    /// it, which JITs generic code per value type (double?, bool, ...), and doing that for every method at
    /// registration would lengthen the sidecar's cold start.
    /// </summary>
    public void Add<TParams, TResult>(RequestType<TParams, TResult> method, Func<TParams, RequestContext, CancellationToken, ValueTask<TResult>> handler)
    {
        var name = method.Name;
        if (!_requests.TryAdd(name, raw =>
        {
            var p = Bind(raw, method.ParamsType, name);
            return async (context, ct) =>
            {
                var result = await handler(p, context, ct).ConfigureAwait(false);
                return writer => JsonSerializer.Serialize(writer, result, method.ResultType);
            };
        })) throw new InvalidOperationException($"{name} is registered twice");
    }

    /// <summary>Serves a request answered at once from its params.</summary>
    public void Add<TParams, TResult>(RequestType<TParams, TResult> method, Func<TParams, TResult> handler) =>
        Add(method, (p, _, _) => ValueTask.FromResult(handler(p)));

    /// <summary>Serves a request whose answer takes a while; the token is cancelled by <c>$/cancelRequest</c>.</summary>
    public void Add<TParams, TResult>(RequestType<TParams, TResult> method, Func<TParams, CancellationToken, Task<TResult>> handler) =>
        Add(method, (p, _, ct) => new ValueTask<TResult>(handler(p, ct)));

    /// <summary>Handles a notification of the contract.</summary>
    public void Add<TParams>(NotificationType<TParams> method, Func<TParams, RequestContext, ValueTask> handler)
    {
        var name = method.Name;
        if (!_notifications.TryAdd(name, raw =>
        {
            var p = Bind(raw, method.ParamsType, name);
            return context => handler(p, context);
        })) throw new InvalidOperationException($"{name} is registered twice");
    }

    internal bool TryBindRequest(string method, JsonElement? rawParams, out BoundRequest? call)
    {
        call = null;
        if (!_requests.TryGetValue(method, out var binder)) return false;
        call = binder(rawParams);
        return true;
    }

    internal bool TryBindNotification(string method, JsonElement? rawParams, out BoundNotification? call)
    {
        call = null;
        if (!_notifications.TryGetValue(method, out var binder)) return false;
        call = binder(rawParams);
        return true;
    }

    public bool HasRequest(string method) => _requests.ContainsKey(method);

    public bool HasNotification(string method) => _notifications.ContainsKey(method);

    private static T Bind<T>(JsonElement? raw, JsonTypeInfo<T> type, string method)
    {
        if (raw is { ValueKind: JsonValueKind.Array })
            throw RpcException.InvalidParams($"{method}: params must be an object with named members, not an array");
        try
        {
            // Absent params bind like an empty object, so optional-only params need none.
            var value = raw is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } element
                ? element.Deserialize(type)
                : JsonSerializer.Deserialize("{}"u8, type);
            return value ?? throw RpcException.InvalidParams($"{method}: params are required");
        }
        catch (JsonException e)
        {
            throw RpcException.InvalidParams($"{method}: invalid params: {Describe(e)}");
        }
        catch (InvalidOperationException e)
        {
            throw RpcException.InvalidParams($"{method}: invalid params: {e.Message}");
        }
    }

    /// <summary>Says what is wrong in the client's terms (JSON paths and kinds), not .NET type names.</summary>
    private static string Describe(JsonException e)
    {
        var at = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
        const string Missing = "missing required properties including: ";
        const string Converted = "could not be converted";
        var message = e.Message;
        var missing = message.IndexOf(Missing, StringComparison.Ordinal);
        if (missing >= 0) return "missing required " + message[(missing + Missing.Length)..].TrimEnd('.');
        if (!message.Contains(Converted, StringComparison.Ordinal)) return message.Split(". Path:")[0].Split(" Path:")[0] + at;
        // The outer message names the declaring .NET type; the inner one says which kind of token was wanted.
        var inner = e.InnerException?.Message ?? "";
        var kind = inner.Contains("as a number", StringComparison.Ordinal) ? "a number"
            : inner.Contains("as a string", StringComparison.Ordinal) ? "a string"
            : inner.Contains("as a boolean", StringComparison.Ordinal) ? "true or false"
            : null;
        return kind is null ? $"a value of the wrong type{at}" : $"expected {kind}{at}";
    }
}
