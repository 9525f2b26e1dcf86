using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CloudTemple.Networking.Dhcp.Protocol;

namespace CloudTemple.Networking.Dhcp;

// The instruments of the DHCP Meter: messages by type, drops by reason, lease events, processing time, pool utilization.
internal sealed class DhcpMetrics : IDisposable
{
    private static readonly string[] TypeNames = [.. Enumerable.Range(0, 9).Select(t => ((DhcpMessageType)t).ToString().ToUpperInvariant())];
    private static readonly string[] ReasonNames = [.. Enum.GetValues<DhcpDropReason>().Select(r => r.ToString())];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _leases;
    private readonly Counter<long> _changesDropped;
    private readonly Histogram<double> _duration;
    private readonly ConcurrentDictionary<Ipv4Prefix, (long Allocated, long Size)> _pools = new();

    public DhcpMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(DhcpTelemetry.MeterName) ?? new Meter(DhcpTelemetry.MeterName);
        _received = _meter.CreateCounter<long>("cloudtemple.dhcp.messages.received", "{message}", "DHCP requests received, by cloudtemple.dhcp.message_type.");
        _sent = _meter.CreateCounter<long>("cloudtemple.dhcp.messages.sent", "{message}", "DHCP replies produced, by cloudtemple.dhcp.message_type.");
        _dropped = _meter.CreateCounter<long>("cloudtemple.dhcp.messages.dropped", "{message}", "Messages dropped without reply, by cloudtemple.dhcp.drop_reason.");
        _leases = _meter.CreateCounter<long>("cloudtemple.dhcp.leases.changed", "{lease}", "Lease events, by cloudtemple.dhcp.lease_event: offered, acked, naked, declined, released, expired.");
        _changesDropped = _meter.CreateCounter<long>("cloudtemple.dhcp.changes.dropped", "{change}", "Change-feed entries dropped because a subscriber fell behind.");
        _duration = _meter.CreateHistogram<double>(
            "cloudtemple.dhcp.message.duration", "s", "Time to process one message, by cloudtemple.dhcp.message_type and cloudtemple.dhcp.result.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] });
        _meter.CreateObservableGauge("cloudtemple.dhcp.pool.utilization", ObserveUtilization, "1", "Taken share of each subnet's dynamic range, by cloudtemple.dhcp.subnet.");
    }

    public void Received(DhcpMessageType type) => _received.Add(1, new KeyValuePair<string, object?>("cloudtemple.dhcp.message_type", Name(type)));

    public void Sent(DhcpMessageType type) => _sent.Add(1, new KeyValuePair<string, object?>("cloudtemple.dhcp.message_type", Name(type)));

    public void Dropped(DhcpDropReason reason) => _dropped.Add(1, new KeyValuePair<string, object?>("cloudtemple.dhcp.drop_reason", ReasonName(reason)));

    public void Lease(string @event) => _leases.Add(1, new KeyValuePair<string, object?>("cloudtemple.dhcp.lease_event", @event));

    public void ChangeDropped() => _changesDropped.Add(1);

    public void Processed(DhcpMessageType type, string result, TimeSpan elapsed) =>
        _duration.Record(
            elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("cloudtemple.dhcp.message_type", Name(type)),
            new KeyValuePair<string, object?>("cloudtemple.dhcp.result", result));

    public void PoolUsage(Ipv4Prefix subnet, long allocated, long size) => _pools[subnet] = (allocated, size);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    public static string Name(DhcpMessageType type) => (int)type < TypeNames.Length ? TypeNames[(int)type] : "UNKNOWN";

    public static string ReasonName(DhcpDropReason reason) => (uint)reason < (uint)ReasonNames.Length ? ReasonNames[(int)reason] : reason.ToString();

    private IEnumerable<Measurement<double>> ObserveUtilization() =>
        _pools.Select(p => new Measurement<double>(
            p.Value.Size == 0 ? 0 : (double)p.Value.Allocated / p.Value.Size,
            new KeyValuePair<string, object?>("cloudtemple.dhcp.subnet", p.Key.ToString())));
}
