using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Providers.ClaudeCode;

/// <summary><c>auth/claudeCode</c>: installed, version, logged in, how.</summary>
public sealed class GetClaudeCodeAuthHandler : RequestHandler<ClaudeCodeAuthParams, ClaudeCodeAuthResult>
{
    public override string Method => Methods.AuthClaudeCode;
    protected override JsonTypeInfo<ClaudeCodeAuthParams> ParamsType => PlueJsonContext.Default.ClaudeCodeAuthParams;
    protected override JsonTypeInfo<ClaudeCodeAuthResult> ResultType => PlueJsonContext.Default.ClaudeCodeAuthResult;

    public override async ValueTask<ClaudeCodeAuthResult> HandleAsync(ClaudeCodeAuthParams request, RequestContext context, CancellationToken cancellationToken) =>
        await ClaudeCodeAuth.GetStatusAsync(request.CliPath, null, cancellationToken).ConfigureAwait(false);
}
