using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CloudTemple.Networking.Dhcp.Protocol;

namespace CloudTemple.Networking.Dhcp;

// The Meter "CloudTemple.Networking.Dhcp": packets by type, drops by reason, lease events, pool utilization.
internal sealed class DhcpMetrics : IDisposable
{
    public const string MeterName = "CloudTemple.Networking.Dhcp";

    private static readonly string[] TypeNames = [.. Enumerable.Range(0, 9).Select(t => ((DhcpMessageType)t).ToString().ToUpperInvariant())];
    private static readonly string[] ReasonNames = [.. Enum.GetValues<DhcpDropReason>().Select(r => r.ToString())];

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _leases;
    private readonly ConcurrentDictionary<Ipv4Prefix, (long Allocated, long Size)> _pools = new();

    public DhcpMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _received = _meter.CreateCounter<long>("dhcp.packets.received", "{packet}", "DHCP messages received, by message type.");
        _sent = _meter.CreateCounter<long>("dhcp.packets.sent", "{packet}", "DHCP replies produced, by message type.");
        _dropped = _meter.CreateCounter<long>("dhcp.packets.dropped", "{packet}", "Messages dropped without reply, by reason.");
        _leases = _meter.CreateCounter<long>("dhcp.leases", "{lease}", "Lease events: offered, acked, naked, declined, released, expired.");
        _meter.CreateObservableGauge("dhcp.pool.utilization", ObserveUtilization, "1", "Taken share of each subnet's dynamic range.");
    }

    public void Received(DhcpMessageType type) => _received.Add(1, new KeyValuePair<string, object?>("dhcp.message_type", Name(type)));

    public void Sent(DhcpMessageType type) => _sent.Add(1, new KeyValuePair<string, object?>("dhcp.message_type", Name(type)));

    public void Dropped(DhcpDropReason reason) => _dropped.Add(1, new KeyValuePair<string, object?>("dhcp.drop_reason", ReasonNames[(int)reason]));

    public void Lease(string @event) => _leases.Add(1, new KeyValuePair<string, object?>("dhcp.lease_event", @event));

    public void PoolUsage(Ipv4Prefix subnet, long allocated, long size) => _pools[subnet] = (allocated, size);

    public void Dispose() => _meter.Dispose();

    private static string Name(DhcpMessageType type) => (int)type < TypeNames.Length ? TypeNames[(int)type] : "UNKNOWN";

    private IEnumerable<Measurement<double>> ObserveUtilization() =>
        _pools.Select(p => new Measurement<double>(
            p.Value.Size == 0 ? 0 : (double)p.Value.Allocated / p.Value.Size,
            new KeyValuePair<string, object?>("dhcp.subnet", p.Key.ToString())));
}
