using Plue.Protocol;
using Plue.Providers.Discovery;
using Plue.Rpc;

namespace Plue.Providers.VsCodeLm;

/// <summary>The models VS Code offers a <c>vscode-lm</c> instance, asked of the client (<c>lm/models</c>) each time: the editor's list changes as extensions come and go.</summary>
public sealed class VsCodeLmModels(JsonRpcPeer peer)
{
    public async Task<IReadOnlyList<DiscoveredModel>> ListAsync(ProviderConnection connection, CancellationToken cancellationToken)
    {
        var vendor = VsCodeLmChatClient.VendorOf(connection);
        LmModelsResult result;
        try
        {
            result = await peer.RequestAsync(Contract.LmModels, new LmModelsParams { Vendor = vendor }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or IOException)
        {
            throw new ProviderException(ProviderErrorKind.Unreachable,
                $"VS Code's language models are reached only from the editor, with the Plue extension (VS Code 1.90 or later): {e.Message}", inner: e);
        }
        if (result.Models.Count == 0)
        {
            throw new ProviderException(ProviderErrorKind.ModelNotFound, vendor is null
                ? "VS Code offers no language models: install and sign in to an extension that provides them, such as GitHub Copilot Chat"
                : $"VS Code offers no '{vendor}' models: install GitHub Copilot Chat and sign in to GitHub");
        }
        return [.. result.Models.Select(m => new DiscoveredModel(m.Id, m.Name, m.MaxInputTokens))];
    }
}
