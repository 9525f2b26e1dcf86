using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CloudTemple.Networking.Changes;

/// <summary>
/// A change feed: fans each published change out to every subscriber, each with its own bounded
/// buffer, numbering the entries so that a subscriber sees what it lost. The libraries expose it as
/// <see cref="IChangeFeed{T}"/> (Ipam's, Dhcp's and Routing's <c>Changes</c>) and publish on it.
/// </summary>
/// <remarks>
/// <para>
/// Overflow: the publisher never waits for a subscriber. When a subscriber's buffer holds
/// <see cref="Capacity"/> entries, publishing drops that subscriber's oldest pending entry, counts
/// it (<see cref="DroppedCount"/> and the callback given to the constructor, which the owning
/// library connects to its meter) and leaves a gap in the sequence numbers that subscriber sees.
/// </para>
/// <para>
/// Thread-safe: any number of threads may publish and subscribe at once. Publishing takes a short
/// internal lock (it never waits for a reader), so that every subscriber receives the entries in
/// sequence order. Disposing completes every subscription; later subscriptions end at once and
/// later publications reach nobody.
/// </para>
/// </remarks>
/// <typeparam name="T">The type of the changes.</typeparam>
public sealed class ChangeFeed<T> : IChangeFeed<T>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Action? _dropped;
    private readonly Action<ChangeFeedEntry<T>> _onItemDropped;
    private Channel<ChangeFeedEntry<T>>[] _subscribers = [];
    private long _sequence;
    private long _droppedCount;
    private bool _disposed;

    /// <summary>Creates a feed.</summary>
    /// <param name="capacity">The buffer size per subscriber, 1 to <see cref="ChangeFeed.MaxCapacity"/>; default <see cref="ChangeFeed.DefaultCapacity"/>.</param>
    /// <param name="dropped">Called once per dropped entry, on the publisher's thread (for example to add to a counter); must not block.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is out of range.</exception>
    public ChangeFeed(int capacity = ChangeFeed.DefaultCapacity, Action? dropped = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, ChangeFeed.MaxCapacity);
        Capacity = capacity;
        _dropped = dropped;
        _onItemDropped = _ => OnDropped();
    }

    /// <inheritdoc/>
    public int Capacity { get; }

    /// <inheritdoc/>
    public long LastSequence => Interlocked.Read(ref _sequence);

    /// <inheritdoc/>
    public long DroppedCount => Interlocked.Read(ref _droppedCount);

    /// <summary>Whether anyone is subscribed now (a publisher may skip building a change nobody reads).</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

    /// <summary>Publishes a change to every current subscriber without waiting for any of them.</summary>
    /// <param name="change">The change.</param>
    /// <returns>The entry's sequence number.</returns>
    public long Publish(T change)
    {
        lock (_gate)
        {
            long sequence = ++_sequence;
            var entry = new ChangeFeedEntry<T>(sequence, change);
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(entry); // never refused while open: a full buffer drops its oldest entry
            }

            return sequence;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChangeFeedEntry<T>> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Runs on the first MoveNextAsync, before its first await: entries published after that call are seen.
        var channel = Subscribe();
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var entry))
                {
                    yield return entry;
                }
            }
        }
        finally
        {
            Unsubscribe(channel);
        }
    }

    /// <summary>Completes every subscription (each ends after the entries it still holds); later subscriptions end at once.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers = [];
        }
    }

    private Channel<ChangeFeedEntry<T>> Subscribe()
    {
        var channel = Channel.CreateBounded(
            new BoundedChannelOptions(Capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = true, // writes happen under _gate
            },
            _onItemDropped);
        lock (_gate)
        {
            if (_disposed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _subscribers = [.. _subscribers, channel];
            }
        }

        return channel;
    }

    private void Unsubscribe(Channel<ChangeFeedEntry<T>> channel)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(_subscribers, channel);
            if (index >= 0)
            {
                _subscribers = [.. _subscribers.AsSpan(0, index), .. _subscribers.AsSpan(index + 1)];
            }
        }
    }

    private void OnDropped()
    {
        Interlocked.Increment(ref _droppedCount);
        _dropped?.Invoke();
    }
}
