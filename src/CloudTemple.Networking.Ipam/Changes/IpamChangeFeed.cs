using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CloudTemple.Networking.Ipam;

/// <summary>
/// Fans changes out to subscribers, each with its own bounded channel. A subscriber that falls
/// more than the capacity behind loses its oldest changes (counted), never blocks an allocator.
/// </summary>
internal sealed class IpamChangeFeed(int capacity, Action onDropped)
{
    private readonly Lock _gate = new();
    private Channel<IpamChange>[] _subscribers = [];

    public bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

    public void Publish(IpamChange change)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Writer.TryWrite(change);
        }
    }

    public async IAsyncEnumerable<IpamChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<IpamChange>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => onDropped());
        // Runs on the first MoveNextAsync, before its first await: changes made after that call are seen.
        Subscribe(channel);
        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
        finally
        {
            Unsubscribe(channel);
        }
    }

    public void Complete()
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers = [];
        }
    }

    private void Subscribe(Channel<IpamChange> channel)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers, channel];
        }
    }

    private void Unsubscribe(Channel<IpamChange> channel)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(c => c != channel)];
        }
    }
}
