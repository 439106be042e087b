using Plue.Catalog;
using Plue.Instances;
using Plue.Protocol;

namespace Plue.LanguageModels;

/// <summary>
/// <c>lm/instanceModels</c>: the models of every usable instance, for VS Code's model picker. A <c>vscode-lm</c>
/// instance is left out (its models are VS Code's own: offering them back would loop). Models come from the catalog,
/// or from the provider for kinds that discover theirs (Ollama, a custom endpoint), waiting a few seconds at most.
/// </summary>
public sealed class PlueModels(InstanceService instances, InstanceChecks checks, CatalogStore catalog)
{
    private static readonly TimeSpan DiscoveryBudget = TimeSpan.FromSeconds(5);

    public async Task<LmInstanceModelsResult> ListAsync(CancellationToken cancellationToken)
    {
        var models = new List<LmInstanceModel>();
        foreach (var instance in instances.List())
        {
            if (instance.ProviderType is null or ProviderTypes.VsCodeLm || instances.Obstacle(instance.Id) is not null) continue;
            foreach (var model in await ModelsAsync(instance, cancellationToken).ConfigureAwait(false))
            {
                models.Add(new LmInstanceModel
                {
                    InstanceId = instance.Id,
                    InstanceName = instance.DisplayName,
                    ModelId = model.Id,
                    ModelName = model.Name,
                    ContextWindow = model.ContextWindow,
                    MaxOutput = model.MaxOutput,
                    SupportsImages = model.SupportsAttachments == true,
                });
            }
        }
        return new LmInstanceModelsResult { Models = models };
    }

    private async Task<IReadOnlyList<CatalogModel>> ModelsAsync(ProviderInstance instance, CancellationToken cancellationToken)
    {
        // A custom endpoint's catalog entry lists nothing: like Ollama's, its models are the server's.
        if (!ProviderTypes.DiscoversModels(instance.ProviderType!) && catalog.Find(instance.CatalogProviderId)?.Provider.IsCustomEndpoint != true)
            return instances.Models(instance.Id);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(DiscoveryBudget);
        try
        {
            return await checks.ModelsAsync(instance.Id, budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return instances.Models(instance.Id); // a server that does not answer in time offers none now
        }
        catch (Rpc.RpcException)
        {
            return []; // a custom server that lists nothing, and the instance names no model
        }
    }
}
