using System.Text;

namespace Plue.Tests.Rpc;

public sealed class FramingTests
{
    private static readonly Plue.Rpc.JsonRpcPeerOptions s_plain = new() { RequireInitialize = false };

    [Fact]
    public async Task Read_MessageSplitAcrossManyReads_IsServedOnce()
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        var bytes = Encoding.UTF8.GetBytes(RawClient.Frame("""{"jsonrpc":"2.0","id":1,"method":"test/echo","params":{"text":"héllo"}}"""));
        foreach (var b in bytes) await client.WriteAsync([b]);

        var answer = await client.ReceiveAsync();
        Assert.Equal("1", answer.IdText());
        Assert.Equal("héllo", answer["result"]!["text"]!.GetValue<string>());
        Assert.True(await client.IsSilentAsync());
    }

    [Fact]
    public async Task Read_SeveralMessagesInOneRead_AreAllServed()
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        var all = string.Concat(Enumerable.Range(1, 5).Select(i =>
            RawClient.Frame($$$"""{"jsonrpc":"2.0","id":{{{i}}},"method":"test/echo","params":{"text":"m{{{i}}}"}}""")));
        await client.WriteAsync(all);

        var ids = new HashSet<string?>();
        for (var i = 0; i < 5; i++) ids.Add((await client.ReceiveAsync()).IdText());
        Assert.Equal(["1", "2", "3", "4", "5"], ids.Order());
    }

    [Theory]
    [InlineData("content-length: {0}\r\n\r\n")]
    [InlineData("CONTENT-LENGTH: {0}\r\n\r\n")]
    [InlineData("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: {0}\r\n\r\n")]
    [InlineData("Content-Length:{0}\r\nX-Extra: yes\r\n\r\n")]
    public async Task Read_HeaderNamesInAnyCaseAndOrder_AreAccepted(string headerFormat)
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        const string json = """{"jsonrpc":"2.0","id":7,"method":"test/echo","params":{"text":"ok"}}""";
        await client.WriteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, headerFormat, Encoding.UTF8.GetByteCount(json)) + json);

        Assert.Equal("ok", (await client.ReceiveAsync())["result"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Read_ContentLengthOverLimit_ClosesWithoutAllocating()
    {
        var client = new RawClient(TestHandlers.Router(), s_plain);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await client.WriteAsync("Content-Length: 2147483000\r\n\r\n{");

        var exitCode = await client.Run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, exitCode);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 16 * 1024 * 1024, "the announced body must not be allocated");
    }

    [Fact]
    public async Task Read_ContentLengthJustOverLimit_ClosesConnection()
    {
        var client = new RawClient(TestHandlers.Router(), s_plain with { MaxMessageBytes = 1024 });
        await client.SendAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"test/echo","params":{"text":"{{{new string('x', 1100)}}}"}}""");
        Assert.Equal(1, await client.Run.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Read_EndOfInput_StopsServing()
    {
        var client = new RawClient(TestHandlers.Router(), s_plain);
        client.CloseInput();
        Assert.Equal(1, await client.Run.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Write_ManyNotificationsFromManyThreads_NeverInterleave()
    {
        await using var client = new RawClient(TestHandlers.Router(), s_plain);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
                await client.Peer.NotifyAsync(TestMethods.Note, new EchoParams { Text = $"{t}-{i}-{new string('z', i)}" });
        })));

        var seen = new HashSet<string>();
        for (var i = 0; i < 2000; i++)
        {
            var note = await client.ReceiveAsync();
            Assert.Equal("test/note", note["method"]!.GetValue<string>());
            seen.Add(note["params"]!["text"]!.GetValue<string>());
        }
        Assert.Equal(2000, seen.Count);
    }

    [Fact]
    public async Task Write_FramesGoOutThroughTheStreamsOwnSynchronousWrites_InOrder_NeverItsAsyncOnes()
    {
        // The standard output's stream has no asynchronous write of its own: each WriteAsync and FlushAsync would be a
        // task on another pool thread, two more thread hand-offs for every streamed delta.
        var output = new RecordingStream();
        var writer = new Plue.Rpc.FrameWriter(output);
        for (var i = 0; i < 50; i++) await writer.WriteAsync(Encoding.UTF8.GetBytes($$"""{"n":{{i}}}"""));
        await writer.DisposeAsync();

        Assert.Equal(0, output.AsyncCalls);
        Assert.True(output.Flushes >= 1);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal(string.Concat(Enumerable.Range(0, 50).Select(i => RawClient.Frame($$"""{"n":{{i}}}"""))), text);
    }

    [Fact]
    public async Task Write_WhenTheOutputHasRoom_TheSenderWritesItsOwnFrame_BeforeItsCallReturns()
    {
        // No wake-up of the writer's loop on another thread: a quarter of a streamed delta's thread switches.
        var output = new RecordingStream();
        var writer = new Plue.Rpc.FrameWriter(output, hasRoom: _ => true);
        var thread = Environment.CurrentManagedThreadId;
        var sent = writer.WriteAsync(Encoding.UTF8.GetBytes("""{"n":1}"""));

        Assert.True(sent.IsCompletedSuccessfully);
        Assert.Equal(RawClient.Frame("""{"n":1}"""), Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal([thread], output.WritingThreads);
        await writer.DisposeAsync();
    }

    [Fact]
    public async Task Write_WhileTheLoopIsStuckInAWrite_ASenderQueues_AndDoesNotWait()
    {
        // A client that stopped reading holds the one write in progress, never a sender (the reading loop sends too).
        var output = new RecordingStream { Gate = new ManualResetEventSlim() };
        var room = false;
        var writer = new Plue.Rpc.FrameWriter(output, hasRoom: _ => room);
        var first = writer.WriteAsync(Encoding.UTF8.GetBytes("""{"n":1}"""));
        Assert.True(first.IsCompletedSuccessfully); // queued
        Assert.True(SpinWait.SpinUntil(() => output.Waiting, TimeSpan.FromSeconds(10)), "the loop never wrote");

        room = true;
        var second = writer.WriteAsync(Encoding.UTF8.GetBytes("""{"n":2}"""));
        Assert.True(second.IsCompletedSuccessfully, "the sender waited for the stuck write");

        output.Gate.Set();
        await writer.DisposeAsync();
        Assert.Equal(RawClient.Frame("""{"n":1}""") + RawClient.Frame("""{"n":2}"""), Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Write_ManySendersAtOnce_SomeWritingThemselves_EachSendersFramesArriveWholeAndInOrder()
    {
        var output = new RecordingStream();
        var coin = 0;
        // Room now and then: frames written by their senders and by the loop mix.
        var writer = new Plue.Rpc.FrameWriter(output, hasRoom: _ => Interlocked.Increment(ref coin) % 3 != 0);
        const int senders = 8, each = 400;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++) await writer.WriteAsync(Encoding.UTF8.GetBytes($$"""{"s":{{s}},"n":{{i}}}"""));
        })));
        await writer.DisposeAsync();

        var text = Encoding.UTF8.GetString(output.ToArray());
        var next = new int[senders];
        var at = 0;
        while (at < text.Length)
        {
            var header = text.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
            var length = int.Parse(text.AsSpan(at + "Content-Length: ".Length, header - at - "Content-Length: ".Length));
            var body = System.Text.Json.JsonDocument.Parse(text.Substring(header + 4, length)).RootElement;
            var s = body.GetProperty("s").GetInt32();
            Assert.Equal(next[s]++, body.GetProperty("n").GetInt32());
            at = header + 4 + length;
        }
        Assert.All(next, n => Assert.Equal(each, n));
    }

    [Fact]
    public async Task OutputRoom_OnARealPipe_SaysRoomOnlyWhileAPageFits_AndSoAWriteItAllowsNeverWaits()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var reader = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, pipe.ClientSafePipeHandle);
        var fd = (int)pipe.SafePipeHandle.DangerousGetHandle();
        var page = new byte[4096];
        // Each write the room allows must return at once: one that waited would hang this test, so it runs bounded.
        var written = await Task.Run(() =>
        {
            var total = 0;
            while (Plue.Rpc.OutputRoom.For(fd, page.Length))
            {
                pipe.Write(page);
                total += page.Length;
            }
            return total;
        }).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.InRange(written, 16 * 1024, 1024 * 1024); // a pipe holds 64 KiB unless its size was changed
        Assert.False(Plue.Rpc.OutputRoom.For(fd, 1));
        reader.ReadExactly(new byte[4096]);
        Assert.True(Plue.Rpc.OutputRoom.For(fd, 4096));
        Assert.False(Plue.Rpc.OutputRoom.For(fd, 4097)); // more than a page may not fit in the room poll tells of
    }

    [Fact]
    public async Task OutputRoom_OnAnEmptyPipe_TakesAFrameOfSeveralPages_AndWithBytesUnreadOnlyAPage()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var reader = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, pipe.ClientSafePipeHandle);
        var fd = (int)pipe.SafePipeHandle.DangerousGetHandle();
        var answer = new byte[16 * 1024]; // a page of records, as codex/list answers
        Assert.True(Plue.Rpc.OutputRoom.For(fd, answer.Length));
        // The write it allows returns at once: one that waited would hang, so it runs bounded.
        await Task.Run(() => pipe.Write(answer)).WaitAsync(TimeSpan.FromSeconds(20));
        // Bytes unread: how many pages they hold is not known, so only a page is sure.
        Assert.False(Plue.Rpc.OutputRoom.For(fd, 4097));
        Assert.True(Plue.Rpc.OutputRoom.For(fd, 4096));
        reader.ReadExactly(new byte[answer.Length]);
        Assert.True(Plue.Rpc.OutputRoom.For(fd, answer.Length));
        Assert.False(Plue.Rpc.OutputRoom.For(fd, 4 * 1024 * 1024)); // more than a pipe holds
    }

    [Fact]
    public async Task OutputRoom_OnAUnixSocket_TakesUpToAQuarterOfItsSendBuffer_AndSoAWriteItAllowsNeverWaits()
    {
        if (!OperatingSystem.IsLinux()) return;
        var path = Path.Combine(Path.GetTempPath(), $"plue-room-{Guid.NewGuid():N}.sock");
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        try
        {
            using var writer = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            await writer.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
            using var reader = await listener.AcceptAsync();
            var fd = (int)writer.Handle;
            var quarter = writer.SendBufferSize / 4;
            Assert.True(Plue.Rpc.OutputRoom.For(fd, quarter));
            Assert.False(Plue.Rpc.OutputRoom.For(fd, quarter + 1));
            // Each write it allows returns at once while nobody reads, until the socket is no longer writable.
            var frame = new byte[Math.Max(quarter, 4096)];
            var written = await Task.Run(() =>
            {
                var total = 0;
                while (Plue.Rpc.OutputRoom.For(fd, frame.Length))
                {
                    writer.Send(frame);
                    total += frame.Length;
                }
                return total;
            }).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(written >= frame.Length);
            Assert.False(Plue.Rpc.OutputRoom.For(fd, 1));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A stream that counts how it was written to.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        private readonly Lock _gate = new();

        public int AsyncCalls { get; private set; }

        /// <summary>The threads that wrote, in order (the same one once per run).</summary>
        public List<int> WritingThreads { get; } = [];

        /// <summary>When set, each write waits for it: a client that stopped reading.</summary>
        public ManualResetEventSlim? Gate { get; init; }

        public bool Waiting { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Gate is { } gate)
            {
                Waiting = true;
                gate.Wait();
            }
            lock (_gate)
            {
                if (WritingThreads.Count == 0 || WritingThreads[^1] != Environment.CurrentManagedThreadId) WritingThreads.Add(Environment.CurrentManagedThreadId);
                base.Write(buffer, offset, count);
            }
        }
        public int Flushes { get; private set; }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            AsyncCalls++;
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            AsyncCalls++;
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            AsyncCalls++;
            return base.FlushAsync(cancellationToken);
        }

        public override void Flush()
        {
            Flushes++;
            base.Flush();
        }
    }
}
