using System.Text.Json.Nodes;

namespace Plue.Tests.Support;

/// <summary>Request/response over the in-process host, keeping the notifications that arrive meanwhile.</summary>
internal sealed class RpcSession(InProcessSidecar sidecar)
{
    private readonly List<JsonObject> _notifications = [];
    private readonly Dictionary<string, JsonObject> _early = [];
    private int _next;

    public IReadOnlyList<JsonObject> Notifications => _notifications;

    public static async Task<(InProcessSidecar Sidecar, RpcSession Rpc)> StartAsync(string home, string? workspace = null)
    {
        var sidecar = new InProcessSidecar();
        await sidecar.StartAsync();
        var rpc = new RpcSession(sidecar);
        var options = new JsonObject { ["plueHome"] = home, ["vaultKey"] = Convert.ToBase64String(new byte[32]) };
        if (workspace is not null)
        {
            options["workspaceFolders"] = new JsonArray(workspace);
            options["trusted"] = true;
        }
        await rpc.CallAsync("initialize", new JsonObject { ["initializationOptions"] = options });
        return (sidecar, rpc);
    }

    /// <summary>The result; throws with the error's code and message otherwise.</summary>
    public async Task<JsonNode?> CallAsync(string method, JsonObject? @params = null)
    {
        var id = await SendAsync(method, @params);
        return await ResultAsync(id);
    }

    public async Task<string> SendAsync(string method, JsonObject? @params = null)
    {
        var id = $"r{Interlocked.Increment(ref _next)}";
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (@params is not null) request["params"] = @params;
        await sidecar.SendAsync(request.ToJsonString());
        return id;
    }

    public async Task<JsonNode?> ResultAsync(string id)
    {
        var answer = await AnswerAsync(id);
        if (answer["error"] is { } error) throw new RpcCallException(error["code"]!.GetValue<int>(), error["message"]!.GetValue<string>());
        return answer["result"];
    }

    /// <summary>Reads until the answer to <paramref name="id"/>, keeping notifications and other answers.</summary>
    public async Task<JsonObject> AnswerAsync(string id)
    {
        while (true)
        {
            if (_early.Remove(id, out var kept)) return kept;
            var message = await sidecar.ReceiveAsync();
            if (message["method"] is not null && message["id"] is null)
            {
                _notifications.Add(message);
                continue;
            }
            var answerId = message["id"]?.GetValue<string>();
            if (answerId == id) return message;
            if (answerId is not null) _early[answerId] = message;
        }
    }

    /// <summary>Reads until a notification matches, returning it.</summary>
    public async Task<JsonObject> WaitForNotificationAsync(Func<JsonObject, bool> match)
    {
        var seen = _notifications.FirstOrDefault(match);
        if (seen is not null) return seen;
        while (true)
        {
            var message = await sidecar.ReceiveAsync();
            if (message["method"] is not null && message["id"] is null)
            {
                _notifications.Add(message);
                if (match(message)) return message;
                continue;
            }
            if (message["id"]?.GetValue<string>() is { } answerId) _early[answerId] = message;
        }
    }
}

internal sealed class RpcCallException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
