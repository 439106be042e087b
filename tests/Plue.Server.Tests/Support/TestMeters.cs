using System.Diagnostics.Metrics;
using Plue.Sidecar;

namespace Plue.Tests.Support;

/// <summary>
/// A meter factory for what a test builds outside a host, as the sidecar's container holds one (<see cref="SidecarMeters"/>):
/// <see cref="Instruments.Read"/> on it reads only the instruments made through it.
/// </summary>
internal sealed class TestMeters : IDisposable
{
    private readonly SidecarMeters _meters = new();

    /// <summary>For the many instances whose figures no test reads.</summary>
    public static IMeterFactory Shared { get; } = new TestMeters().Factory;

    public IMeterFactory Factory => _meters;

    public void Dispose() => _meters.Dispose();
}
