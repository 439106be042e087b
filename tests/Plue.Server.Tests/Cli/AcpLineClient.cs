using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

namespace Plue.Tests.Cli;

/// <summary>
/// An editor's side of the Agent Client Protocol, on raw lines (one JSON-RPC message each): requests answered by id,
/// <c>session/update</c> notifications kept in order, and the agent's <c>session/request_permission</c> answered by
/// <see cref="Answer"/>.
/// </summary>
internal sealed class AcpLineClient : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly StreamReader _reader;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly Task _reading;
    private int _nextId;

    public AcpLineClient(Stream toAgent, Stream fromAgent)
    {
        _writer = new StreamWriter(toAgent, new UTF8Encoding(false)) { AutoFlush = true };
        _reader = new StreamReader(fromAgent);
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Every <c>session/update</c>'s params, in the order they came.</summary>
    public ConcurrentQueue<JsonObject> Updates { get; } = new();

    /// <summary>The permission questions asked, in order.</summary>
    public ConcurrentQueue<JsonObject> Questions { get; } = new();

    /// <summary>The editor's answer to a question: allow once unless a test says otherwise.</summary>
    public Func<JsonObject, JsonObject> Answer { get; set; } = _ => new JsonObject { ["outcome"] = new JsonObject { ["outcome"] = "selected", ["optionId"] = "allow" } };

    /// <summary>The response to one request: its result, or its error.</summary>
    public async Task<JsonObject> RequestAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        return await answer.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public Task NotifyAsync(string method, JsonObject parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    public string Text(string kind) => string.Concat(Updates.Where(u => u["update"]!["sessionUpdate"]!.GetValue<string>() == kind)
        .Select(u => u["update"]!["content"]!["text"]!.GetValue<string>()));

    private async Task SendAsync(JsonObject message)
    {
        var line = message.ToJsonString() + "\n";
        await _writer.WriteAsync(line);
    }

    private async Task ReadAsync()
    {
        while (await _reader.ReadLineAsync() is { } line)
        {
            var message = JsonNode.Parse(line)!.AsObject();
            if (message["method"]?.GetValue<string>() is { } method)
            {
                if (method == "session/update") Updates.Enqueue(message["params"]!.AsObject());
                else if (method == "session/request_permission")
                {
                    Questions.Enqueue(message["params"]!.AsObject());
                    await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = message["id"]!.DeepClone(), ["result"] = Answer(message["params"]!.AsObject()) });
                }
            }
            else if (_pending.TryRemove(message["id"]!.GetValue<int>(), out var answer)) answer.SetResult(message);
        }
    }

    /// <summary>Closes the agent's stdin, as an editor does when it is done.</summary>
    public void Close() => _writer.Close();

    /// <summary>Waits for the agent's stdout to end (the agent closed it, or the test did once the agent ended).</summary>
    public async ValueTask DisposeAsync()
    {
        _writer.Close();
        await _reading.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
