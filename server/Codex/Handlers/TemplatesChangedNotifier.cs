using Microsoft.Extensions.Hosting;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary>Tells the client <c>templates/changed</c> whenever template files reload.</summary>
public sealed class TemplatesChangedNotifier(TemplateRegistry registry, JsonRpcPeer peer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        registry.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(TemplateSet set) =>
        _ = peer.NotifyAsync(Methods.TemplatesChanged, new TemplatesChangedParams { Ids = [.. set.Templates.Keys.Order(StringComparer.Ordinal)] },
            PlueJsonContext.Default.TemplatesChangedParams).AsTask();
}
