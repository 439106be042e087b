using Microsoft.Extensions.DependencyInjection;
using Plue.Catalog;
using Plue.Codex.Templates;
using Plue.Tests.Support;

namespace Plue.Tests.Sidecar;

/// <summary>
/// What the window's sidecar reads from files beside its start, once <c>initialize</c> is answered, before any request
/// asks for it. Through the production host, in a home with no chat and no instance: no request and no warm-up step
/// reads these here.
/// </summary>
public sealed class StartReadsTests : IAsyncLifetime
{
    private readonly TempDir _root = new();
    private readonly InProcessSidecar _sidecar = new();

    public Task InitializeAsync() => _sidecar.StartAsync();

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _root.Dispose();
    }

    /// <summary>
    /// A new chat's first request read the templates itself, then the catalog's shipped files, one after the other after
    /// the host's start. The user's catalog files still wait for the catalog's first use, so one written by hand after
    /// the start is seen.
    /// </summary>
    [Fact]
    public async Task AfterInitialize_TheTemplatesAndTheShippedCatalogAreRead_BeforeAnyRequestAsksForThem_TheUsersCatalogFilesAtFirstUse()
    {
        var templates = _sidecar.Services.GetRequiredService<TemplateRegistry>();
        var catalog = _sidecar.Services.GetRequiredService<CatalogStore>();
        Assert.False(templates.IsRead);
        Assert.False(catalog.ShippedFilesRead);

        await using var client = await SidecarClient.StartAsync(_sidecar, Path.Combine(_root.Path, "home"), workspace: null);

        await Polling.Eventually(() => templates.IsRead, "the templates read beside the start");
        await Polling.Eventually(() => catalog.ShippedFilesRead, "the shipped catalog read beside the start");
        Assert.Equal(TimeSpan.Zero, catalog.LoadTime);
    }
}
