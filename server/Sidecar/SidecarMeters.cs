using System.Diagnostics.Metrics;

namespace Plue.Sidecar;

/// <summary>
/// The sidecar's meters, one per name and version, each scoped to this factory (a listener tells its own from another
/// host's in the same process) and disposed with it; what the Generic Host's metrics services gave, without them.
/// </summary>
public sealed class SidecarMeters : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Scope is not null && !ReferenceEquals(options.Scope, this)) throw new InvalidOperationException("the options name another factory's scope");
        lock (_meters)
        {
            if (_meters.Find(m => m.Name == options.Name && m.Version == options.Version) is { } made) return made;
            var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this, TelemetrySchemaUrl = options.TelemetrySchemaUrl });
            _meters.Add(meter);
            return meter;
        }
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters) meter.Dispose();
            _meters.Clear();
        }
    }
}
