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

/// <summary>The test contract: small methods a router serves in these tests, and the client side's own.</summary>
internal static class TestMethods
{
    private static TestJsonContext Json => TestJsonContext.Default;

    public static readonly RequestType<NoParams, EchoResult> Initialize = new("initialize", () => Json.NoParams, () => Json.EchoResult);
    public static readonly RequestType<EchoParams, EchoResult> Echo = new("test/echo", () => Json.EchoParams, () => Json.EchoResult);
    public static readonly RequestType<WaitParams, EchoResult> Wait = new("test/wait", () => Json.WaitParams, () => Json.EchoResult);
    public static readonly RequestType<NoParams, EchoResult> Fail = new("test/fail", () => Json.NoParams, () => Json.EchoResult);
    public static readonly RequestType<WaitParams, EchoResult> Progress = new("test/progress", () => Json.WaitParams, () => Json.EchoResult);
    public static readonly RequestType<EchoParams, EchoResult> AskClient = new("test/askClient", () => Json.EchoParams, () => Json.EchoResult);
    /// <summary>Served by nobody: an unknown method.</summary>
    public static readonly RequestType<EchoParams, EchoResult> Nothing = new("test/nothing", () => Json.EchoParams, () => Json.EchoResult);
    public static readonly RequestType<EchoParams, EchoResult> ClientEcho =
        new("client/echo", () => Json.EchoParams, () => Json.EchoResult, Direction.SidecarToClient);
    public static readonly NotificationType<EchoParams> Note = new("test/note", () => Json.EchoParams);
    public static readonly NotificationType<NoParams> Heard = new("test/heard", () => Json.NoParams, Direction.ClientToSidecar);
}

/// <summary>A router with small real handlers: echo, wait (honours cancellation), fail, progress, ask-the-client.</summary>
internal static class TestHandlers
{
    public static RequestRouter Router(Action<RequestRouter>? more = null)
    {
        var router = new RequestRouter();
        router.Add(TestMethods.Initialize, _ => new EchoResult { Text = "ready" });
        router.Add(TestMethods.Echo, p => new EchoResult { Text = string.Concat(Enumerable.Repeat(p.Text, p.Count ?? 1)) });
        router.Add(TestMethods.Wait, async (p, ct) =>
        {
            await Task.Delay(p.Ms, ct);
            return new EchoResult { Text = "waited" };
        });
        router.Add(TestMethods.Fail, _ => throw new InvalidOperationException("the disk is full"));
        router.Add(TestMethods.Progress, async (p, c, ct) =>
        {
            for (var i = 1; i <= 3; i++) await c.ReportProgressAsync(new RequestId(p.Ms), i, TestJsonContext.Default.Int32, ct);
            return new EchoResult { Text = "done" };
        });
        router.Add(TestMethods.AskClient, (p, c, ct) => new ValueTask<EchoResult>(c.Peer.RequestAsync(TestMethods.ClientEcho, p, ct)));
        more?.Invoke(router);
        return router;
    }
}
