using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plue.Rpc;
using Plue.Sidecar;

namespace Plue.Tests.Support;

/// <summary>The production host (every endpoint table) on in-memory pipes, with a raw framed client.</summary>
internal sealed class InProcessSidecar : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly IHost _host;
    private readonly FrameReader _reader;

    /// <param name="configure">Replaces services after the production ones are registered (e.g. the claude CLI's environment).</param>
    public InProcessSidecar(Action<IServiceCollection>? configure = null)
    {
        _host = SidecarHost.Build(_toServer.Reader.AsStream(), _toClient.Writer.AsStream(), configure);
        _reader = new FrameReader(_toClient.Reader.AsStream(), int.MaxValue);
    }

    public Task StartAsync() => _host.StartAsync();

    /// <summary>The host's services, for a test that checks a part's state the protocol does not show.</summary>
    public IServiceProvider Services => _host.Services;

    public async Task SendAsync(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        await _toServer.Writer.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {bytes.Length}\r\n\r\n"));
        await _toServer.Writer.WriteAsync(bytes);
        await _toServer.Writer.FlushAsync();
    }

    public async Task<JsonObject> ReceiveAsync()
    {
        // Generous: some answers wait on a real child (the claude CLI takes over 10 s to start on a loaded machine).
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await ReceiveAsync(cts.Token);
    }

    /// <summary>The next answer, past the notifications sent before it (<c>codex/changed</c> follows every write).</summary>
    public async Task<JsonObject> ReceiveAnswerAsync()
    {
        while (true)
        {
            var message = await ReceiveAsync();
            if (message.ContainsKey("id")) return message;
        }
    }

    /// <summary>The next message, however long it takes (for a reader that runs all the time).</summary>
    public async Task<JsonObject> ReceiveAsync(CancellationToken cancellationToken)
    {
        var frame = await _reader.ReadAsync(cancellationToken) ?? throw new EndOfStreamException();
        return JsonNode.Parse(frame.Body)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        _toServer.Writer.Complete();
        await _host.StopAsync(TimeSpan.FromSeconds(5));
        _host.Dispose();
    }
}
