using System.Buffers;

namespace Plue.Providers;

/// <summary>
/// Reads a streamed response body line by line (SSE and NDJSON are both line protocols) without a string per
/// line. Its reads are bounded (<see cref="BodyReads"/>): the first byte by the first-byte timeout, each whole event
/// (a line here, an SSE event for <see cref="SseReader"/>) by the stall timeout. A body
/// that breaks off is a <see cref="ProviderErrorKind.StreamCut"/>, a line over <see cref="StreamLimits.MaxLineBytes"/> a
/// <see cref="ProviderErrorKind.Malformed"/>; disposing closes the connection at once.
/// </summary>
internal sealed class StreamLineReader : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly BodyReads _reads;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;
    private bool _eof;

    private StreamLineReader(HttpResponseMessage response, BodyReads reads)
    {
        _response = response;
        _reads = reads;
    }

    public static async Task<StreamLineReader> OpenAsync(HttpResponseMessage response, ProviderConnection connection, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new StreamLineReader(response, new BodyReads(stream, connection, ProviderErrors.HeaderRequestId(response.Headers), cancellationToken));
    }

    /// <summary>The provider's request id from the response headers, for errors found in the body.</summary>
    public string? RequestId => _reads.RequestId;

    /// <summary>The current line without its line ending; valid until the next read.</summary>
    public ReadOnlyMemory<byte> Line { get; private set; }

    /// <summary>False at the end of the body. A line that is not blank is a whole event (NDJSON).</summary>
    public ValueTask<bool> ReadLineAsync() => ReadLineAsync(linesAreEvents: true);

    /// <summary>A whole event arrived (an SSE event, told by <see cref="SseReader"/>): the stall timeout starts again.</summary>
    public void EventEnded() => _reads.EventEnded();

    /// <summary>False at the end of the body; with <paramref name="linesAreEvents"/> false the caller says when an event ended.</summary>
    public async ValueTask<bool> ReadLineAsync(bool linesAreEvents)
    {
        while (!TryReadLine(linesAreEvents))
        {
            if (AtEnd) return false;
            Filled(await ReadMoreAsync().ConfigureAwait(false));
        }
        return true;
    }

    /// <summary>The body ended and every line of it was read.</summary>
    public bool AtEnd => _eof && _start == _end;

    /// <summary>
    /// The next line when the bytes read so far hold one (at the end of the body, what is left); false when more must be
    /// read first (<see cref="ReadMoreAsync"/>, then <see cref="Filled"/>) or the body has ended (<see cref="AtEnd"/>).
    /// A reader of events calls these itself: each await between the socket and the answer is a continuation run for
    /// every streamed delta, so the line and event readers above the socket's read do not add one each.
    /// </summary>
    public bool TryReadLine(bool linesAreEvents)
    {
        var span = _buffer.AsSpan(_start, _end - _start);
        var newline = span.IndexOf((byte)'\n');
        if (newline >= 0)
        {
            var length = newline > 0 && span[newline - 1] == '\r' ? newline - 1 : newline;
            Line = _buffer.AsMemory(_start, length);
            _start += newline + 1;
            if (linesAreEvents && length > 0) _reads.EventEnded();
            return true;
        }
        if (!_eof || _start == _end) return false;
        Line = _buffer.AsMemory(_start, _end - _start);
        _start = _end;
        return true;
    }

    /// <summary>Reads more of the body into the buffer; hand what it returns to <see cref="Filled"/>.</summary>
    public ValueTask<int> ReadMoreAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // The buffer is full of one unfinished line: past the cap it is not read any further.
            if (_buffer.Length >= StreamLimits.MaxLineBytes) throw ProviderErrors.LineTooLong(_reads.Connection, RequestId);
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        return _reads.ReadAsync(_buffer.AsMemory(_end));
    }

    /// <summary>Takes in the bytes <see cref="ReadMoreAsync"/> read (0: the body ended).</summary>
    public void Filled(int read)
    {
        if (read == 0) _eof = true;
        _end += read;
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        _reads.Dispose();
        _response.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
