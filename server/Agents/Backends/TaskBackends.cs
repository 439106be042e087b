using Plue.Catalog;
using Plue.Instances;
using Plue.Providers;
using Plue.Protocol;

namespace Plue.Agents.Backends;

/// <summary>Chooses a run's backend from its instance's provider type: the claude CLI's own loop, an ACP agent's, or the sidecar's for every HTTP backend.</summary>
public sealed class TaskBackends(ModelLoopBackend modelLoop, ClaudeCodeBackend claudeCode, AcpAgentBackend acpAgent)
{
    public ITaskBackend For(ProviderConnection connection) => connection.ProviderType switch
    {
        ProviderTypes.ClaudeCode => claudeCode,
        ProviderTypes.AcpAgent => acpAgent,
        _ => modelLoop,
    };
}
