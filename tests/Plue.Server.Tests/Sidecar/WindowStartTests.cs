using Microsoft.Extensions.DependencyInjection;
using Plue.Catalog;
using Plue.Codex.Templates;
using Plue.Rpc;
using Plue.Tests.Support;

namespace Plue.Tests.Sidecar;

/// <summary>
/// What the window's sidecar readies once <c>initialize</c> is answered, before any request asks for it: the files a
/// new chat's first request reads (<c>StartReads</c>) and the warm-up's steps (<c>ChatWarmup</c>). Through the
/// production host, in a home with no chat and no instance, where no request and no warm-up step reads these files.
/// </summary>
public sealed class WindowStartTests : IAsyncLifetime
{
    private readonly TempDir _root = new();
    private readonly InProcessSidecar _sidecar = new();

    public Task InitializeAsync() => _sidecar.StartAsync();

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _root.Dispose();
    }

    private Task<SidecarClient> InitializeClientAsync() => SidecarClient.StartAsync(_sidecar, Path.Combine(_root.Path, "home"), workspace: null);

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

        await using var client = await InitializeClientAsync();

        await Polling.Eventually(() => templates.IsRead, "the templates read beside the start");
        await Polling.Eventually(() => catalog.ShippedFilesRead, "the shipped catalog read beside the start");
        Assert.Equal(TimeSpan.Zero, catalog.LoadTime);
    }

    /// <summary>A new chat's first request found the session feature unmade and made it (its services), after waiting for the warm-up's own work; the warm-up now makes it first.</summary>
    [Fact]
    public async Task AfterInitialize_TheSessionFeaturesTableIsMade_BeforeAnySessionRequest()
    {
        var router = _sidecar.Services.GetRequiredService<RequestRouter>();
        Assert.False(router.HasRequest("session/create"));

        await using var client = await InitializeClientAsync();

        await Polling.Eventually(() => router.HasRequest("session/create"), "the session table made by the warm-up");
    }
}
