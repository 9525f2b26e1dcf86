using System.Diagnostics.Metrics;

namespace CloudTemple.Networking.Testing;

/// <summary>
/// An <see cref="IMeterFactory"/> of one test: its meters have the factory as their scope, so that a
/// <c>MetricCollector&lt;T&gt;(factory, meterName, instrumentName)</c> hears only the objects the test
/// built with this factory, and metric tests run in parallel with anything else.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    /// <inheritdoc/>
    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    /// <summary>How many meters were created through this factory.</summary>
    public int CreatedCount
    {
        get
        {
            lock (_meters)
            {
                return _meters.Count;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
