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
    // The quick reads answered on the reading loop (AddOnReader).
    private readonly ConcurrentDictionary<string, bool> _onReader = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Tables mapped on their first call (AddTable), added before Complete and only read after.
    private readonly List<Table> _tables = [];
    [ThreadStatic] private static Table? t_mapping;
    private readonly Action<string>? _tableMade;

    /// <param name="registering">
    /// True when handlers are still being registered while the peer serves (the sidecar's fast start):
    /// an unknown method then waits for <see cref="Complete"/> instead of being refused.
    /// </param>
    /// <param name="tableMade">Told each table's name once its handlers are made, on its first call (the start watches it).</param>
    public RequestRouter(bool registering = false, Action<string>? tableMade = null)
    {
        _tableMade = tableMade;
        if (!registering) Complete();
    }

    /// <summary>Done once every handler is registered: until then an unknown method may still arrive, so callers wait.</summary>
    public Task Completion => _complete.Task;

    public void Complete() => _complete.TrySetResult();

    /// <summary>
    /// A feature's endpoint table, made and mapped on the first call of a method it serves, not at start: making a
    /// table makes its feature's whole service graph, and most of a sidecar's features are not used by its first turn
    /// (a <c>plue ask</c> never uses them). A table serves whole method names, and areas as a prefix ending in '/'
    /// (<c>session/</c>); mapping a method it does not say it serves fails, so no method can wait on the wrong table.
    /// </summary>
    /// <param name="name">The table's name, for that failure.</param>
    /// <param name="map">Makes the table and adds its methods (<see cref="IEndpoints.Map"/>).</param>
    /// <param name="now">Made and mapped now, not on a first call (a table that tells the client of changes from the start).</param>
    public void AddTable(string name, IReadOnlyList<string> serves, Action<RequestRouter> map, bool now = false)
    {
        if (_complete.Task.IsCompleted) throw new InvalidOperationException($"{name}: tables are added before the router is complete");
        foreach (var method in serves)
        {
            if (_tables.Find(t => t.Serves(method) || method.EndsWith('/') && t.Methods.Any(m => m.StartsWith(method, StringComparison.Ordinal))) is { } other)
                throw new InvalidOperationException($"{name} and {other.Name} both serve {method}");
        }
        var table = new Table(name, serves, map);
        _tables.Add(table);
        if (now) Map(table);
    }

    /// <summary>
    /// Makes and maps now the table that serves <paramref name="method"/>, if it is not yet, as its first call would: the
    /// window's warm-up does so for a chat's first request, beside the client's first requests.
    /// </summary>
    public void Prepare(string method)
    {
        if (Unmapped(method) is { } table) Map(table);
    }

    /// <summary>Maps every table not mapped yet (the tests' check that every contract method is served, and each table's names).</summary>
    public void MapAll()
    {
        foreach (var table in _tables) Map(table);
    }

    private sealed class Table(string name, IReadOnlyList<string> methods, Action<RequestRouter> map)
    {
        private volatile bool _mapped;

        public string Name { get; } = name;

        public IReadOnlyList<string> Methods { get; } = methods;

        public Action<RequestRouter> MapInto { get; } = map;

        public bool Mapped
        {
            get => _mapped;
            set => _mapped = value;
        }

        public bool Serves(string method) => Methods.Any(m => m.EndsWith('/') ? method.StartsWith(m, StringComparison.Ordinal) : m == method);
    }

    private void Map(Table table)
    {
        if (table.Mapped) return;
        lock (table)
        {
            if (table.Mapped) return;
            t_mapping = table;
            try
            {
                table.MapInto(this);
                _tableMade?.Invoke(table.Name);
            }
            finally
            {
                t_mapping = null;
            }
            table.Mapped = true;
        }
    }

    /// <summary>The table that serves <paramref name="method"/> and is not mapped yet, if one does.</summary>
    private Table? Unmapped(string method) => _complete.Task.IsCompleted ? _tables.Find(t => !t.Mapped && t.Serves(method)) : null;

    private void Check(string method)
    {
        if (t_mapping is { } table && !table.Serves(method))
            throw new InvalidOperationException($"{table.Name} maps {method}, which is not among the methods it says it serves ({string.Join(", ", table.Methods)})");
    }

    /// <summary>
    /// Serves a request of the contract; the delegate's types are the contract's, checked by the compiler. The JSON
    /// metadata is read on the first call, not here: getting a source-generated <see cref="JsonTypeInfo"/> configures
    /// it, which JITs generic code per value type (double?, bool, ...), and doing that for every method at
    /// registration would lengthen the sidecar's cold start.
    /// </summary>
    public void Add<TParams, TResult>(RequestType<TParams, TResult> method, Func<TParams, RequestContext, CancellationToken, ValueTask<TResult>> handler)
    {
        var name = method.Name;
        Check(name);
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

    /// <summary>
    /// Serves a quick read answered on the reading loop itself when no other request is running (the peer's choice),
    /// instead of on a pool thread: the hand-off to another thread was a good part of a page's round trip
    /// (<c>codex/list</c>). Only for a handler that never waits: a read of the local store, no lock a long task holds, no
    /// network; the loop reads nothing else (a cancel included) until it has answered.
    /// </summary>
    public void AddOnReader<TParams, TResult>(RequestType<TParams, TResult> method, Func<TParams, TResult> handler)
    {
        Add(method, handler);
        _onReader[method.Name] = true;
    }

    /// <summary>Whether <paramref name="method"/> is a quick read its table registered with <see cref="AddOnReader"/> (so it is mapped).</summary>
    internal bool OnReader(string method) => _onReader.ContainsKey(method);

    /// <summary>Handles a notification of the contract.</summary>
    public void Add<TParams>(NotificationType<TParams> method, Func<TParams, RequestContext, ValueTask> handler)
    {
        var name = method.Name;
        Check(name);
        if (!_notifications.TryAdd(name, raw =>
        {
            var p = Bind(raw, method.ParamsType, name);
            return context => handler(p, context);
        })) throw new InvalidOperationException($"{name} is registered twice");
    }

    internal bool TryBindRequest(string method, JsonElement? rawParams, out BoundRequest? call)
    {
        call = null;
        if (_requests.TryGetValue(method, out var binder))
        {
            call = binder(rawParams);
            return true;
        }
        if (Unmapped(method) is not { } table) return false;
        // The table is made on the request's own thread, not the reader's: the reader goes on reading (a cancel, say)
        // while a feature is made. Its params are bound then, so they are kept past the message's buffer.
        var kept = rawParams?.Clone();
        call = (context, ct) =>
        {
            Map(table);
            return _requests.TryGetValue(method, out var mapped)
                ? mapped(kept)(context, ct)
                : throw new RpcException(ErrorCodes.MethodNotFound, $"Method not found: {method}");
        };
        return true;
    }

    internal bool TryBindNotification(string method, JsonElement? rawParams, out BoundNotification? call)
    {
        call = null;
        // A notification is handled in order on the reader: its table is made there, once.
        Prepare(method);
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
