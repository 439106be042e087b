using System.Buffers;
using System.Net;

namespace Plue.Providers.Transform;

/// <summary>
/// A request body written in 64 KiB pieces and sent as they are. A long chat's request is megabytes: one growing
/// array would be reallocated and copied at every doubling, each copy a large object that only a full collection
/// frees, which then scans every cached transcript. Pieces this size stay small objects, and nothing is joined.
/// </summary>
internal sealed class RequestBody : IBufferWriter<byte>
{
    private const int PieceSize = 64 * 1024;
    private readonly List<(byte[] Array, int Length)> _pieces = [];
    private byte[] _current = [];
    private int _used;

    public long Length { get; private set; }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_used + count > _current.Length) throw new InvalidOperationException("advanced past the buffer");
        _used += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_current.Length - _used < Math.Max(sizeHint, 1)) NextPiece(sizeHint);
        return _current.AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <summary>The bytes in one array: for what must have them whole (a signature, a test).</summary>
    public byte[] ToArray()
    {
        var whole = GC.AllocateUninitializedArray<byte>(checked((int)Length));
        var at = 0;
        foreach (var (array, length) in Pieces())
        {
            array.AsSpan(0, length).CopyTo(whole.AsSpan(at));
            at += length;
        }
        return whole;
    }

    /// <summary>An HTTP content over the pieces, with its length: one per attempt, as a request is sent once.</summary>
    public HttpContent Content() => new PiecesContent(this);

    private IEnumerable<(byte[] Array, int Length)> Pieces()
    {
        foreach (var piece in _pieces) yield return piece;
        if (_used > 0) yield return (_current, _used);
    }

    private void NextPiece(int sizeHint)
    {
        if (_used > 0) _pieces.Add((_current, _used));
        // A value larger than a piece (an image, a big file) gets an array of its own size.
        _current = GC.AllocateUninitializedArray<byte>(Math.Max(PieceSize, sizeHint));
        _used = 0;
    }

    private sealed class PiecesContent(RequestBody body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            foreach (var (array, length) in body.Pieces()) await stream.WriteAsync(array.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
