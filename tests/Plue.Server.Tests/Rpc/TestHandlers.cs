using System.Text.Json.Serialization;
using Plue.Rpc;

namespace Plue.Tests.Rpc;

public sealed record EchoParams
{
    public required string Text { get; init; }
    // Nullable, not "= 1": source-generated deserialization resets init-only members that are absent.
    public int? Count { get; init; }
}

public sealed record EchoResult
{
    public required string Text { get; init; }
}

public sealed record WaitParams
{
    public int Ms { get; init; }
}

public sealed record NoParams;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EchoParams))]
[JsonSerializable(typeof(EchoResult))]
[JsonSerializable(typeof(WaitParams))]
[JsonSerializable(typeof(NoParams))]
[JsonSerializable(typeof(int))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

/// <summary>A router with small real handlers: echo, wait (honours cancellation), fail, progress, ask-the-client.</summary>
internal static class TestHandlers
{
    public static RequestRouter Router(Action<RequestRouter>? more = null)
    {
        var router = new RequestRouter();
        var ctx = TestJsonContext.Default;
        router.AddRequest("initialize", ctx.NoParams, ctx.EchoResult, (_, _, _) => ValueTask.FromResult(new EchoResult { Text = "ready" }));
        router.AddRequest("test/echo", ctx.EchoParams, ctx.EchoResult,
            (p, _, _) => ValueTask.FromResult(new EchoResult { Text = string.Concat(Enumerable.Repeat(p.Text, p.Count ?? 1)) }));
        router.AddRequest("test/wait", ctx.WaitParams, ctx.EchoResult, async (p, _, ct) =>
        {
            await Task.Delay(p.Ms, ct);
            return new EchoResult { Text = "waited" };
        });
        router.AddRequest<NoParams, EchoResult>("test/fail", ctx.NoParams, ctx.EchoResult,
            (_, _, _) => throw new InvalidOperationException("the disk is full"));
        router.AddRequest("test/progress", ctx.WaitParams, ctx.EchoResult, async (p, c, ct) =>
        {
            for (var i = 1; i <= 3; i++) await c.ReportProgressAsync(new RequestId(p.Ms), i, ctx.Int32, ct);
            return new EchoResult { Text = "done" };
        });
        router.AddRequest("test/askClient", ctx.EchoParams, ctx.EchoResult, async (p, c, ct) =>
            await c.Peer.RequestAsync("client/echo", p, ctx.EchoParams, ctx.EchoResult, ct));
        more?.Invoke(router);
        return router;
    }
}
