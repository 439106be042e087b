using Microsoft.Extensions.AI;
using Plue.Instances;
using Plue.Rpc;

namespace Plue.Providers;

/// <summary>Picks the backend for an instance's provider type.</summary>
public sealed class ChatClientFactory : IChatClientFactory
{
    public IChatClient Create(ProviderConnection connection, string conversationKey) =>
        throw new RpcException(ErrorCodes.ProviderError, $"No backend serves provider type '{connection.ProviderType}' yet");
}
