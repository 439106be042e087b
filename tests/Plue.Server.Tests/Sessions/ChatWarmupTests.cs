using Microsoft.Extensions.DependencyInjection;
using Plue.Rpc;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// What the window's sidecar readies once <c>initialize</c> is answered, before any request asks for it. Through the
/// production host, in a home with no chat and no instance, where the warm-up itself never reaches the catalog.
/// </summary>
public sealed class ChatWarmupTests : IAsyncLifetime
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
