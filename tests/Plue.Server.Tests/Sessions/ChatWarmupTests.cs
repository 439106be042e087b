using Microsoft.Extensions.DependencyInjection;
using Plue.Catalog;
using Plue.Rpc;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// Once <c>initialize</c> is answered, the window's sidecar reads the catalog's shipped files on a thread of its own,
/// beside the rest of the warm-up: a new chat's first request needs them, and nothing else of the start reads them. The
/// user's catalog files wait for the catalog's first use, so one written by hand after the start is seen. Through the
/// production host, in a home with no chat and no instance, where the warm-up itself never reaches the catalog.
/// </summary>
public sealed class ChatWarmupTests
{
    [Fact]
    public async Task AfterInitialize_TheShippedCatalogIsRead_BeforeAnyRequestAsksForIt_TheUsersFilesAtFirstUse()
    {
        using var root = new TempDir();
        await using var sidecar = new InProcessSidecar();
        await sidecar.StartAsync();
        var catalog = sidecar.Services.GetRequiredService<CatalogStore>();
        Assert.False(catalog.ShippedFilesRead);

        await using var client = await SidecarClient.StartAsync(sidecar, Path.Combine(root.Path, "home"), workspace: null);

        await Polling.Eventually(() => catalog.ShippedFilesRead, "the shipped catalog read beside the warm-up");
        Assert.Equal(TimeSpan.Zero, catalog.LoadTime);
    }

    [Fact]
    public async Task AfterInitialize_TheSessionFeaturesTableIsMade_BeforeAnySessionRequest()
    {
        // A new chat's first request found it unmade and made it (the feature's services), after waiting for the warm-up's
        // own work; the warm-up now makes it first.
        using var root = new TempDir();
        await using var sidecar = new InProcessSidecar();
        await sidecar.StartAsync();
        var router = sidecar.Services.GetRequiredService<RequestRouter>();
        Assert.False(router.HasRequest("session/create"));

        await using var client = await SidecarClient.StartAsync(sidecar, Path.Combine(root.Path, "home"), workspace: null);

        await Polling.Eventually(() => router.HasRequest("session/create"), "the session table made by the warm-up");
    }
}
