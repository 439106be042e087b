using System.Buffers.Binary;
using System.Text;

namespace Plue.Providers.Bedrock;

/// <summary>
/// AWS event-stream framing (application/vnd.amazon.eventstream): each message is a prelude (total length, headers
/// length, CRC32 of the two), headers, a payload and a CRC32 of all before it. Both checksums are verified: a
/// mismatch is a corrupted stream, never a guess. The stall timeout bounds the wait for each whole message (<see cref="BodyReads"/>).
/// </summary>
internal sealed class EventStreamReader(BodyReads reads, int maxMessageBytes)
{
    private readonly byte[] _prelude = new byte[12];

    /// <summary>The next message, or null at a clean end of stream.</summary>
    public async Task<(Dictionary<string, string> Headers, byte[] Payload)?> ReadAsync()
    {
        if (!await FillAsync(_prelude).ConfigureAwait(false)) return null;
        var total = BinaryPrimitives.ReadInt32BigEndian(_prelude);
        var headersLength = BinaryPrimitives.ReadInt32BigEndian(_prelude.AsSpan(4));
        if (Crc32.Compute(_prelude.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32BigEndian(_prelude.AsSpan(8)))
            throw new InvalidDataException("an event-stream prelude failed its checksum");
        if (total < 16 || total > maxMessageBytes || headersLength < 0 || headersLength > total - 16)
            throw new InvalidDataException($"an event-stream message of {total} bytes is out of bounds");
        var message = new byte[total];
        _prelude.CopyTo(message, 0);
        if (!await FillAsync(message.AsMemory(12)).ConfigureAwait(false)) throw new EndOfStreamException("the stream ended inside a message");
        if (Crc32.Compute(message.AsSpan(0, total - 4)) != BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(total - 4)))
            throw new InvalidDataException("an event-stream message failed its checksum");
        reads.EventEnded();
        return (ReadHeaders(message.AsSpan(12, headersLength)), message[(12 + headersLength)..(total - 4)]);
    }

    private async Task<bool> FillAsync(Memory<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await reads.ReadAsync(buffer[read..]).ConfigureAwait(false);
            if (n == 0) return read == 0 ? false : throw new EndOfStreamException("the stream ended inside a message");
            read += n;
        }
        return true;
    }

    /// <summary>Headers: name length (1), name, value type (1), value. Only strings (type 7) matter here; others are skipped by size.</summary>
    private static Dictionary<string, string> ReadHeaders(ReadOnlySpan<byte> span)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (span.Length > 0)
        {
            var name = Encoding.UTF8.GetString(span.Slice(1, span[0]));
            span = span[(1 + span[0])..];
            var type = span[0];
            span = span[1..];
            int size = type switch
            {
                0 or 1 => 0, // true, false
                2 => 1,
                3 => 2,
                4 => 4,
                5 or 8 => 8, // long, timestamp
                9 => 16, // uuid
                6 or 7 => 2 + BinaryPrimitives.ReadUInt16BigEndian(span),
                _ => throw new InvalidDataException($"an event-stream header has an unknown type {type}"),
            };
            if (type == 7) headers[name] = Encoding.UTF8.GetString(span.Slice(2, size - 2));
            span = span[size..];
        }
        return headers;
    }
}

/// <summary>CRC-32 (IEEE 802.3), as event-stream uses; the table is built once.</summary>
internal static class Crc32
{
    private static readonly uint[] s_table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }
}
