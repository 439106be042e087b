using Microsoft.Extensions.AI;
using Plue.Instances;

namespace Plue.Providers;

/// <summary>
/// Gives the backend for an instance. <paramref name="conversationKey"/> lets a backend keep
/// per-conversation state (the claude CLI keeps one process per chat); HTTP backends ignore it.
/// </summary>
public interface IChatClientFactory
{
    IChatClient Create(ProviderConnection connection, string conversationKey);
}
