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

    private readonly Dictionary<string, Func<JsonElement?, BoundRequest>> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<JsonElement?, BoundNotification>> _notifications = new(StringComparer.Ordinal);

    public void AddRequest<TParams, TResult>(string method, JsonTypeInfo<TParams> paramsType, JsonTypeInfo<TResult> resultType,
        Func<TParams, RequestContext, CancellationToken, ValueTask<TResult>> handler)
    {
        _requests.Add(method, raw =>
        {
            var p = Bind(raw, paramsType, method);
            return async (context, ct) =>
            {
                var result = await handler(p, context, ct).ConfigureAwait(false);
                return writer => JsonSerializer.Serialize(writer, result, resultType);
            };
        });
    }

    public void AddNotification<TParams>(string method, JsonTypeInfo<TParams> paramsType, Func<TParams, RequestContext, ValueTask> handler)
    {
        _notifications.Add(method, raw =>
        {
            var p = Bind(raw, paramsType, method);
            return context => handler(p, context);
        });
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

    private static T Bind<T>(JsonElement? raw, JsonTypeInfo<T> type, string method)
    {
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

    private static string Describe(JsonException e)
    {
        // The runtime's message names the .NET type; the path is what a client can act on.
        var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
        var why = e.Message.Contains("missing required properties", StringComparison.Ordinal)
            ? e.Message[e.Message.IndexOf("missing required properties", StringComparison.Ordinal)..].TrimEnd('.')
            : e.Message.Split(". Path:")[0];
        return why + path;
    }
}
