using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary><c>plue/ping</c>.</summary>
public sealed class PingHandler : RequestHandler<PingParams, PingResult>
{
    private const int MaxDelayMs = 60 * 60 * 1000;
    private const int MaxNotifications = 10_000_000;

    public override string Method => Methods.Ping;
    protected override JsonTypeInfo<PingParams> ParamsType => PlueJsonContext.Default.PingParams;
    protected override JsonTypeInfo<PingResult> ResultType => PlueJsonContext.Default.PingResult;

    public override async ValueTask<PingResult> HandleAsync(PingParams request, RequestContext context, CancellationToken cancellationToken)
    {
        if (request.DelayMs is < 0 or > MaxDelayMs) throw RpcException.InvalidParams($"delayMs must be between 0 and {MaxDelayMs}");
        if (request.Notifications is < 0 or > MaxNotifications) throw RpcException.InvalidParams($"notifications must be between 0 and {MaxNotifications}");

        for (var i = 0; i < (request.Notifications ?? 0); i++)
            await context.Peer.NotifyAsync(Methods.Pong, new PongParams { Seq = i }, PlueJsonContext.Default.PongParams, cancellationToken).ConfigureAwait(false);
        if (request.DelayMs is > 0 and var delay) await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        return new PingResult { UptimeMs = (long)SidecarInfo.Uptime.TotalMilliseconds };
    }
}
