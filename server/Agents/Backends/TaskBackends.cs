using Plue.Catalog;
using Plue.Instances;

namespace Plue.Agents.Backends;

/// <summary>Chooses a run's backend from its instance's provider type: the claude CLI's own loop, or the sidecar's for every HTTP backend.</summary>
public sealed class TaskBackends(ModelLoopBackend modelLoop, ClaudeCodeBackend claudeCode)
{
    public ITaskBackend For(ProviderConnection connection) => connection.ProviderType == ProviderTypes.ClaudeCode ? claudeCode : modelLoop;
}
