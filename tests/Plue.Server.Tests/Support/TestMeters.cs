using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Plue.Tests.Support;

/// <summary>
/// A meter factory for what a test builds outside a host, as a host's container holds one (<c>AddMetrics</c>):
/// <see cref="Instruments.Read"/> on it reads only the instruments made through it.
/// </summary>
internal sealed class TestMeters : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    /// <summary>For the many instances whose figures no test reads.</summary>
    public static IMeterFactory Shared { get; } = new TestMeters().Factory;

    public IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    public void Dispose() => _services.Dispose();
}
