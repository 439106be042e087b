using System.Diagnostics;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Bench;

/// <summary>A sidecar with one instance on the fake provider: sends turns and times their deltas as a client sees them.</summary>
internal sealed class ChatSidecar : IAsyncDisposable
{
    public const string Model = "gpt-bench";
    private static readonly string s_vaultKey = Convert.ToBase64String(new byte[32]);

    private long _sentAt;
    private long _firstDeltaAt;

    private ChatSidecar() { }

    public SidecarProcess Process { get; private set; } = null!;
    public string InstanceId { get; private set; } = "";

    /// <summary>Deltas the client read during the last turn (each of the fake's deltas ends with a space).</summary>
    public int Deltas { get; private set; }

    /// <summary>Each delta's ms from the fake's write to this client's read, during the last turn.</summary>
    public List<double> DeltaLatencies { get; } = [];

    public JsonRpcPeer Peer => Process.Peer;

    /// <summary>The <c>codex/changed</c> notifications read so far: records another process wrote are told as the sidecar's store watcher finds them.</summary>
    public int Changes => Volatile.Read(ref _changes);

    private int _changes;

    /// <summary>Starts a sidecar on <paramref name="home"/>; makes the instance on the fake provider unless the home has it.</summary>
    /// <param name="environment">More environment for the sidecar (a claude CLI's config folder).</param>
    public static async Task<ChatSidecar> StartAsync(string dll, string home, string? providerUrl, IReadOnlyDictionary<string, string>? environment = null)
    {
        var chat = new ChatSidecar();
        var router = new RequestRouter();
        router.Add(Contract.SessionPartDelta, (delta, _) =>
        {
            var readAt = Stopwatch.GetTimestamp();
            if (chat._firstDeltaAt == 0) chat._firstDeltaAt = readAt;
            chat.Deltas += delta.Delta.Count(c => c == ' ');
            DeltaStamps.Collect(delta.Delta, readAt, chat.DeltaLatencies);
            return ValueTask.CompletedTask;
        });
        router.Add(Contract.CodexChanged, (_, _) =>
        {
            Interlocked.Increment(ref chat._changes);
            return ValueTask.CompletedTask;
        });
        chat.Process = SidecarProcess.Start(dll, [], home, router, "Warning", Framing.Lsp, environment ?? new Dictionary<string, string>());
        await chat.Peer.RequestAsync(Contract.Initialize, new InitializeParams
        {
            ProcessId = Environment.ProcessId,
            InitializationOptions = new InitializationOptions { PlueHome = home, VaultKey = s_vaultKey },
        });
        if (providerUrl is not null)
        {
            chat.InstanceId = (await chat.Peer.RequestAsync(Contract.InstancesCreate, new CreateInstanceParams
            {
                DisplayName = "Bench", CatalogProviderId = "openai", Endpoint = providerUrl, ApiKey = "sk-bench",
            })).Id;
        }
        return chat;
    }

    public async Task<string> NewChatAsync(string title, string? instanceId = null, string? model = null) =>
        (await Peer.RequestAsync(Contract.SessionCreate, new SessionCreateParams
        {
            InstanceId = instanceId ?? InstanceId, ModelId = model ?? Model, Title = title, AllowUnlisted = model is null ? null : true,
        })).Id;

    /// <summary>One turn: [time to the first delta read, time to the answer], in ms from the send.</summary>
    public async Task<double[]> TurnAsync(string sessionId, string text)
    {
        Deltas = 0;
        DeltaLatencies.Clear();
        _firstDeltaAt = 0;
        _sentAt = Stopwatch.GetTimestamp();
        await Peer.RequestAsync(Contract.SessionSend, new SessionSendParams { SessionId = sessionId, Text = text });
        var total = Stopwatch.GetElapsedTime(_sentAt).TotalMilliseconds;
        if (_firstDeltaAt == 0) throw new InvalidOperationException("the turn streamed no delta: " + string.Join(" | ", Process.Log));
        return [Stopwatch.GetElapsedTime(_sentAt, _firstDeltaAt).TotalMilliseconds, total];
    }

    /// <summary>
    /// Waits (at most 10 s) until the sidecar is idle: under 1 ms of CPU in 100 ms. A page's figure is the page, not
    /// the page raced against the work a bench step left it (the store watcher telling thousands of writes, a collection).
    /// </summary>
    public async Task QuietAsync()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            var before = Process.CpuTime;
            await Task.Delay(100);
            if ((Process.CpuTime - before).TotalMilliseconds < 1) return;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
