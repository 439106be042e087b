using System.Collections.Concurrent;
using System.Threading.Channels;
using Plue.Protocol;

namespace Plue.Providers.VsCodeLm;

/// <summary>
/// The <c>lm/chat</c> requests waiting for their parts: each <c>lm/chatPart</c> notification is queued on its
/// request's channel, in the order the client sent them (notifications are handled one by one, before the answer).
/// </summary>
public sealed class LmPartStreams
{
    private readonly ConcurrentDictionary<string, Channel<LmPart>> _open = new(StringComparer.Ordinal);

    /// <summary>Opens the channel of a new request; disposing the lease forgets it (late parts are then dropped).</summary>
    public Lease Open(string requestId)
    {
        var channel = Channel.CreateUnbounded<LmPart>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        if (!_open.TryAdd(requestId, channel)) throw new InvalidOperationException($"request {requestId} is already open");
        return new Lease(this, requestId, channel);
    }

    /// <summary>Queues a part; false when no request of that id is open (finished, cancelled or never asked).</summary>
    public bool Post(LmPartParams part) => _open.TryGetValue(part.RequestId, out var channel) && channel.Writer.TryWrite(part.Part);

    public sealed class Lease(LmPartStreams owner, string requestId, Channel<LmPart> channel) : IDisposable
    {
        public ChannelReader<LmPart> Parts => channel.Reader;

        /// <summary>No more parts come: the request was answered (or failed, with <paramref name="error"/>).</summary>
        public void Complete(Exception? error = null) => channel.Writer.TryComplete(error);

        public void Dispose()
        {
            owner._open.TryRemove(requestId, out _);
            channel.Writer.TryComplete();
        }
    }
}
