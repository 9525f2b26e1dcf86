using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CloudTemple.Networking.Ipam;

/// <summary>The instruments of the IPAM Meter, created through the host's <see cref="IMeterFactory"/> when there is one.</summary>
internal sealed class IpamMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public IpamMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(IpamTelemetry.MeterName) ?? new Meter(IpamTelemetry.MeterName);
        AddressesAllocated = _meter.CreateCounter<long>("cloudtemple.ipam.addresses.allocated", "{address}", "Addresses allocated (new allocations only, not repeated requests).");
        AddressesReleased = _meter.CreateCounter<long>("cloudtemple.ipam.addresses.released", "{address}", "Addresses released, by the address or with their subnet or owner.");
        SubnetsCarved = _meter.CreateCounter<long>("cloudtemple.ipam.subnets.carved", "{subnet}", "Subnets carved.");
        SubnetsReleased = _meter.CreateCounter<long>("cloudtemple.ipam.subnets.released", "{subnet}", "Subnets released.");
        OperationsFailed = _meter.CreateCounter<long>("cloudtemple.ipam.operations.failed", "{operation}", "IPAM operations that threw, by cloudtemple.ipam.operation and error.type.");
        ChangesDropped = _meter.CreateCounter<long>("cloudtemple.ipam.changes.dropped", "{change}", "Change-feed entries dropped because a subscriber fell behind.");
        OperationDuration = _meter.CreateHistogram<double>(
            "cloudtemple.ipam.operation.duration", "s", "Duration of IPAM operations that change state, by cloudtemple.ipam.operation (and error.type when they fail).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] });
    }

    public Counter<long> AddressesAllocated { get; }

    public Counter<long> AddressesReleased { get; }

    public Counter<long> SubnetsCarved { get; }

    public Counter<long> SubnetsReleased { get; }

    public Counter<long> OperationsFailed { get; }

    public Counter<long> ChangesDropped { get; }

    public Histogram<double> OperationDuration { get; }

    public void ChangeDropped() => ChangesDropped.Add(1);

    /// <summary>Starts timing (and, when someone listens, tracing) one operation.</summary>
    public IpamOperation Start(string operation, string? space) => new(this, operation, space);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    /// <summary>One IPAM operation's span and duration; <see cref="Fail"/> from an exception filter, <see cref="Dispose"/> when it ends.</summary>
    internal sealed class IpamOperation : IDisposable
    {
        private readonly IpamMetrics _metrics;
        private readonly string _operation;
        private readonly long _started = Stopwatch.GetTimestamp();
        private string? _errorType;

        public IpamOperation(IpamMetrics metrics, string operation, string? space)
        {
            _metrics = metrics;
            _operation = operation;
            Activity = IpamTelemetry.Source.StartActivity("ipam." + operation, ActivityKind.Internal);
            Activity?.SetTag("cloudtemple.ipam.operation", operation);
            Activity?.SetTag("cloudtemple.ipam.space", space);
        }

        /// <summary>The span, when someone listens.</summary>
        public Activity? Activity { get; }

        /// <summary>Records the failure; returns false so that an exception filter lets the exception go untouched.</summary>
        public bool Fail(Exception error)
        {
            _errorType = error is OperationCanceledException ? "cancelled" : error.GetType().Name;
            _metrics.OperationsFailed.Add(
                1, new KeyValuePair<string, object?>("cloudtemple.ipam.operation", _operation), new KeyValuePair<string, object?>("error.type", _errorType));
            Activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            Activity?.SetTag("error.type", _errorType);
            return false;
        }

        public void Dispose()
        {
            var operation = new KeyValuePair<string, object?>("cloudtemple.ipam.operation", _operation);
            double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            if (_errorType is null)
            {
                _metrics.OperationDuration.Record(seconds, operation);
            }
            else
            {
                _metrics.OperationDuration.Record(seconds, operation, new KeyValuePair<string, object?>("error.type", _errorType));
            }

            Activity?.Dispose();
        }
    }
}
