using System.Diagnostics.Metrics;

namespace Plue.Tests.Support;

/// <summary>The sidecar's diagnostics instruments read as a metrics listener reads them (ARCHITECTURE.md, Diagnostics).</summary>
internal static class Instruments
{
    /// <summary>
    /// What an observable instrument reports now, from the meters <paramref name="meters"/> made only: one sidecar's
    /// container, or one store's own, not the instances the tests running beside it made. An instrument that is not
    /// there fails the read rather than reading as 0.
    /// </summary>
    public static long Read(IMeterFactory meters, string meter, string instrument)
    {
        var found = 0;
        long value = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (published, own) =>
        {
            if (!ReferenceEquals(published.Meter.Scope, meters) || published.Meter.Name != meter || published.Name != instrument) return;
            Interlocked.Increment(ref found);
            own.EnableMeasurementEvents(published);
        };
        listener.SetMeasurementEventCallback<long>((_, measured, _, _) => value += measured);
        listener.SetMeasurementEventCallback<int>((_, measured, _, _) => value += measured);
        listener.Start();
        if (Volatile.Read(ref found) == 0) throw new InvalidOperationException($"no instrument {instrument} of meter {meter} was made by this meter factory");
        listener.RecordObservableInstruments();
        return value;
    }
}
