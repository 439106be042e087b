using System.Diagnostics.Metrics;

namespace Plue.Transcripts;

/// <summary>
/// How many messages a <see cref="MessageStore"/> has built from rows it read, as the <c>plue.transcripts.messages_read</c>
/// counter of the <c>Plue.Transcripts</c> meter (ARCHITECTURE.md, Diagnostics): a turn of a long chat should add the few
/// messages that changed since the last, not the whole chat.
/// </summary>
internal sealed class MessageReadCounter
{
    private long _count;

    public MessageReadCounter(IMeterFactory meters) =>
        meters.Create("Plue.Transcripts").CreateObservableCounter("plue.transcripts.messages_read", () => Interlocked.Read(ref _count), "{message}",
            "Messages built from rows read from the store");

    public void Add(int messages) => Interlocked.Add(ref _count, messages);
}
