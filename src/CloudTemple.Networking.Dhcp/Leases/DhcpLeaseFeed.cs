using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CloudTemple.Networking.Dhcp;

// Fans lease events out to subscribers, each with its own bounded channel that drops its oldest entry when
// full, so that a slow subscriber never slows the server down.
internal sealed class DhcpLeaseFeed
{
    private readonly Lock _lock = new();
    private Channel<DhcpLeaseEvent>[] _subscribers = [];

    public void Publish(DhcpLeaseEventKind kind, DhcpLease lease)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0)
        {
            return;
        }

        var entry = new DhcpLeaseEvent(kind, lease);
        foreach (var channel in subscribers)
        {
            channel.Writer.TryWrite(entry);
        }
    }

    public async IAsyncEnumerable<DhcpLeaseEvent> SubscribeAsync(int capacity, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<DhcpLeaseEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_lock)
        {
            _subscribers = [.. _subscribers, channel];
        }

        try
        {
            await foreach (var entry in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
        finally
        {
            lock (_lock)
            {
                _subscribers = [.. _subscribers.Where(c => c != channel)];
            }
        }
    }
}
