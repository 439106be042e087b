using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Providers.ClaudeCode;

/// <summary><c>auth/claudeCode</c>: is the CLI installed, which version, logged in, how.</summary>
public sealed class ClaudeCodeEndpoints : IEndpoints
{
    public void Map(RequestRouter router) =>
        router.Add(Contract.AuthClaudeCode, (p, ct) => ClaudeCodeAuth.GetStatusAsync(p.CliPath, null, ct));
}
