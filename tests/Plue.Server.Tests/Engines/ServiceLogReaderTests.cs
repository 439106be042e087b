using System.Buffers.Binary;
using System.Text;
using Plue.Engines;

namespace Plue.Tests.Engines;

/// <summary>The Engine API's multiplexed log stream read into whole lines, however the bytes come.</summary>
public sealed class ServiceLogReaderTests
{
    [Fact(DisplayName = "item 4: a service's log frames are read into whole lines with their times, whatever the reads' sizes")]
    public async Task Item4_Frames_ReadIntoWholeLinesWhateverTheReads()
    {
        var euro = Encoding.UTF8.GetBytes("€");  // three bytes, split across two messages below
        var frames = Concat(
            Frame(1, "2026-11-29T05:44:38.257136748Z first\n"),
            Frame(2, "2026-11-29T05:44:38.300000000Z to stderr\n"),
            // One long line cut by the engine into messages with the same stamp, a character split between them.
            Frame(1, [.. Encoding.ASCII.GetBytes("2026-11-29T05:44:39.5Z aa"), euro[0]]),
            Frame(1, [.. Encoding.ASCII.GetBytes("2026-11-29T05:44:39.5Z "), euro[1], euro[2], .. Encoding.ASCII.GetBytes("bb\n")]),
            Frame(1, "2026-11-29T05:44:40Z two\nlines\n"),
            Frame(1, "2026-11-29T05:44:41.123Z no newline"));

        foreach (var chunk in new[] { 1, 3, 7, 8, 9, 4096 })
        {
            var reader = new ServiceLogReader(new Trickle(frames, chunk));
            var lines = new List<ServiceLogLine>();
            while (await reader.NextAsync(CancellationToken.None) is { } line) lines.Add(line);

            Assert.Equal(["first", "to stderr", "aa€bb", "two", "lines", "no newline"], lines.Select(l => l.Text));
            Assert.Equal([false, true, false, false, false, false], lines.Select(l => l.Stderr));
            Assert.Equal(new DateTimeOffset(2026, 11, 29, 5, 44, 38, TimeSpan.Zero).AddTicks(2571367), lines[0].Time);
            Assert.Equal(new DateTimeOffset(2026, 11, 29, 5, 44, 39, 500, TimeSpan.Zero), lines[2].Time);
            Assert.Equal(lines[3].Time, lines[4].Time);
            Assert.Equal(new DateTimeOffset(2026, 11, 29, 5, 44, 41, 123, TimeSpan.Zero), lines[5].Time);
        }
    }

    [Fact(DisplayName = "item 6: a line's time goes back to the engine as the since it takes (Unix seconds, nine decimals), never after the line")]
    public void Item6_Since_IsUnixSecondsWithNineDecimals()
    {
        Assert.True(ServiceLogReader.TryParseTime("2026-11-29T05:44:40.261122405Z", out var time));

        Assert.Equal("1795931080.261122400", ServiceLogReader.SinceText(time));
    }

    private static byte[] Frame(byte stream, string text) => Frame(stream, Encoding.UTF8.GetBytes(text));

    private static byte[] Frame(byte stream, byte[] payload)
    {
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>A stream that gives at most <paramref name="chunk"/> bytes a read, as a network may.</summary>
    private sealed class Trickle(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
