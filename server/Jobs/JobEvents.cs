using System.Text.Encodings.Web;
using System.Text.Json;
using Plue.Protocol;

using Plue.Cli;

namespace Plue.Jobs;

/// <summary>
/// The job's events on stdout (docs/JOB-EVENTS.md): one JSON object per line, <c>{"plue":1,"seq":N,"kind":K,…}</c>,
/// seq from 1 with no gap, nothing else on the stream. Lines are written whole under a lock, so events from the
/// sidecar's threads never interleave; after <c>done</c> nothing more is written.
/// </summary>
internal sealed class JobEvents(Stream output)
{
    /// <summary>The largest piece of a bundle one line carries, before base64.</summary>
    public const int ChunkBytes = 48 * 1024;

    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Lock _gate = new();
    private int _seq;
    private bool _done;

    public bool Done
    {
        get
        {
            lock (_gate) return _done;
        }
    }

    public void Status(string state, string? error = null) => Write("status", w =>
    {
        w.WriteString("state", state);
        if (error is not null) w.WriteString("error", error);
    });

    public void Part(string messageId, MessageRole role, MessagePart part) => Write("part", w =>
    {
        w.WriteString("message_id", messageId);
        w.WriteString("role", role == MessageRole.User ? "user" : "assistant");
        w.WritePropertyName("part");
        JsonSerializer.Serialize(w, part, PlueJsonContext.Default.MessagePart);
    });

    public void Tool(string callId, string name, string phase, string summary) => Write("tool", w =>
    {
        w.WriteString("call_id", callId);
        w.WriteString("name", name);
        w.WriteString("phase", phase);
        w.WriteString("summary", summary);
    });

    public void Cost(decimal usd, string source, long input, long output) => Write("cost", w =>
    {
        w.WriteNumber("usd", usd);
        w.WriteString("source", source);
        w.WriteNumber("input_tokens", input);
        w.WriteNumber("output_tokens", output);
    });

    public void Waiting(string callId, string tool, string summary) => Write("waiting", w =>
    {
        w.WriteString("call_id", callId);
        w.WriteString("tool", tool);
        w.WriteString("summary", summary);
    });

    /// <summary>A file as <c>bundle</c> lines of at most <see cref="ChunkBytes"/> each (an empty file is one empty, last chunk).</summary>
    public async Task BundleAsync(string name, string file, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
        Bundle(name, bytes);
    }

    public void Bundle(string name, ReadOnlySpan<byte> bytes)
    {
        var count = Math.Max(1, (bytes.Length + ChunkBytes - 1) / ChunkBytes);
        for (var index = 0; index < count; index++)
        {
            var piece = bytes.Slice(index * ChunkBytes, Math.Min(ChunkBytes, bytes.Length - index * ChunkBytes)).ToArray();
            var last = index == count - 1;
            var at = index;
            Write("bundle", w =>
            {
                w.WriteString("name", name);
                w.WriteNumber("index", at);
                w.WriteBoolean("last", last);
                w.WriteBase64String("data", piece);
            });
        }
    }

    /// <summary>The last line: how the job ended (complete, waiting-approval, error, cancelled) and why when it failed.</summary>
    public void Finish(string status, string? error = null)
    {
        Write("done", w =>
        {
            w.WriteString("status", status);
            if (error is not null) w.WriteString("error", error);
        });
        lock (_gate) _done = true;
    }

    private void Write(string kind, Action<Utf8JsonWriter> body)
    {
        lock (_gate)
        {
            if (_done) return;
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, s_options))
            {
                writer.WriteStartObject();
                writer.WriteNumber("plue", 1);
                writer.WriteNumber("seq", ++_seq);
                writer.WriteString("kind", kind);
                body(writer);
                writer.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            output.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            output.Flush();
        }
    }
}
