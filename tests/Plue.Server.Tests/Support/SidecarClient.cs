using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Plue.Tests.Support;

/// <summary>
/// A client of the in-process sidecar that reads all the time, as an editor does: answers to its own requests,
/// every notification kept in order, and the sidecar's requests (<c>permission/request</c>) answered by
/// <see cref="OnRequest"/> while the test waits for something else.
/// </summary>
internal sealed class SidecarClient : IAsyncDisposable
{
    private readonly InProcessSidecar _sidecar;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _answers = new();
    private readonly List<JsonObject> _notifications = [];
    private readonly ConcurrentQueue<JsonObject> _asked = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private event Action? Arrived;
    private int _next;

    private SidecarClient(InProcessSidecar sidecar)
    {
        _sidecar = sidecar;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Answers a request from the sidecar: (method, params) → result. By default every permission is allowed.</summary>
    public Func<string, JsonObject, JsonNode?> OnRequest { get; set; } = (_, _) => new JsonObject { ["decision"] = "allow" };

    /// <summary>The sidecar's requests so far, as sent.</summary>
    public IReadOnlyCollection<JsonObject> Asked => _asked;

    public IReadOnlyList<JsonObject> Notifications
    {
        get { lock (_notifications) return [.. _notifications]; }
    }

    public static async Task<SidecarClient> StartAsync(InProcessSidecar sidecar, string home, string? workspace, bool trusted = true)
    {
        var client = new SidecarClient(sidecar);
        var options = new JsonObject { ["plueHome"] = home, ["vaultKey"] = Convert.ToBase64String(new byte[32]) };
        if (workspace is not null)
        {
            options["workspaceFolders"] = new JsonArray(workspace);
            options["trusted"] = trusted;
        }
        await client.CallAsync("initialize", new JsonObject { ["initializationOptions"] = options });
        return client;
    }

    /// <summary>The result; throws <see cref="RpcCallException"/> with the error's code and message otherwise.</summary>
    public async Task<JsonNode?> CallAsync(string method, JsonObject? @params = null, TimeSpan? timeout = null)
    {
        var id = $"c{Interlocked.Increment(ref _next)}";
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _answers[id] = answer;
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (@params is not null) request["params"] = @params;
        await SendAsync(request);
        var message = await answer.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        if (message["error"] is { } error) throw new RpcCallException(error["code"]!.GetValue<int>(), error["message"]!.GetValue<string>());
        return message["result"];
    }

    /// <summary>Sends a notification to the sidecar (as an editor streams parts of an answer it was asked for).</summary>
    public Task NotifyAsync(string method, JsonObject @params) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = @params });

    /// <summary>The first notification (past or future, from the <paramref name="since"/>-th on) that matches.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, TimeSpan? timeout = null, string? what = null, int since = 0)
    {
        var found = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (Notifications.Skip(since).FirstOrDefault(match) is { } hit) found.TrySetResult(hit);
        }
        Arrived += Check;
        try
        {
            Check();
            return await found.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no notification matched {what ?? "the condition"}; last ones: " +
                string.Join("\n", Notifications.TakeLast(8).Select(n => n.ToJsonString()[..Math.Min(400, n.ToJsonString().Length)])));
        }
        finally
        {
            Arrived -= Check;
        }
    }

    private async Task ReadAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            JsonObject message;
            try
            {
                message = await _sidecar.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or EndOfStreamException or InvalidOperationException)
            {
                return;
            }
            var isRequest = message["method"] is not null && message["id"] is not null;
            if (isRequest)
            {
                _asked.Enqueue(message);
                _ = Task.Run(() => AnswerAsync(message));
            }
            else if (message["method"] is not null)
            {
                lock (_notifications) _notifications.Add(message);
                Arrived?.Invoke();
            }
            else if (message["id"]?.ToString() is { } id && _answers.TryRemove(id, out var answer))
            {
                answer.TrySetResult(message);
            }
        }
    }

    private async Task AnswerAsync(JsonObject request)
    {
        JsonObject reply;
        try
        {
            var result = OnRequest(request["method"]!.GetValue<string>(), request["params"]?.AsObject() ?? []);
            reply = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = request["id"]!.DeepClone(), ["result"] = result };
        }
        catch (Exception e)
        {
            reply = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = request["id"]!.DeepClone(), ["error"] = new JsonObject { ["code"] = -32603, ["message"] = e.Message } };
        }
        await SendAsync(reply);
    }

    private async Task SendAsync(JsonObject message)
    {
        await _sending.WaitAsync();
        try
        {
            await _sidecar.SendAsync(message.ToJsonString());
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Stops reading; dispose the sidecar first, so what it sends while stopping is still read.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading.WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
        _sending.Dispose();
    }
}
