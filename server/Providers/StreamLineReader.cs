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
        while (true)
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
            if (_eof)
            {
                if (_start == _end) return false;
                Line = _buffer.AsMemory(_start, _end - _start);
                _start = _end;
                return true;
            }
            await FillAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask FillAsync()
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
        var read = await _reads.ReadAsync(_buffer.AsMemory(_end)).ConfigureAwait(false);
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
