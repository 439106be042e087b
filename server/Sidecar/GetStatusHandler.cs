using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary><c>plue/status</c>.</summary>
public sealed class GetStatusHandler(SidecarSession session) : RequestHandler<EmptyParams, StatusResult>
{
    public override string Method => Methods.Status;
    protected override JsonTypeInfo<EmptyParams> ParamsType => PlueJsonContext.Default.EmptyParams;
    protected override JsonTypeInfo<StatusResult> ResultType => PlueJsonContext.Default.StatusResult;

    public override ValueTask<StatusResult> HandleAsync(EmptyParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new StatusResult
        {
            Version = SidecarInfo.Version,
            Pid = Environment.ProcessId,
            PlueHome = session.Home,
            UptimeMs = (long)SidecarInfo.Uptime.TotalMilliseconds,
        });
}
