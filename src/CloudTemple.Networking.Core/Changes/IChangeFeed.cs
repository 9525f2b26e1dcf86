namespace CloudTemple.Networking.Changes;

/// <summary>
/// The subscriber's side of a <see cref="ChangeFeed{T}"/>: what a library exposes (as its
/// <c>Changes</c> property) so that callers can watch its changes without being able to publish.
/// </summary>
/// <remarks>Implementations are thread-safe.</remarks>
/// <typeparam name="T">The type of the changes.</typeparam>
public interface IChangeFeed<T>
{
    /// <summary>How many entries each subscriber may fall behind before its oldest pending entries are dropped.</summary>
    int Capacity { get; }

    /// <summary>The number of the last entry published (0 before the first).</summary>
    long LastSequence { get; }

    /// <summary>How many entries were dropped from subscribers' buffers since the feed was created, all subscribers together.</summary>
    long DroppedCount { get; }

    /// <summary>
    /// Subscribes: the entries published from the first <c>MoveNextAsync</c> on, in sequence order,
    /// until <paramref name="cancellationToken"/> is cancelled or the feed is disposed.
    /// </summary>
    /// <remarks>
    /// Each enumeration is one subscriber with its own buffer of <see cref="Capacity"/> entries.
    /// The publisher never waits for a subscriber: when a buffer is full, its oldest entry is
    /// dropped (counted in <see cref="DroppedCount"/> and on the owning library's meter), and the
    /// subscriber sees the gap in <see cref="ChangeFeedEntry{T}.Sequence"/>; it can then re-read
    /// the state it follows. The enumeration ends normally when the feed is disposed, and throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </remarks>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>The entries.</returns>
    IAsyncEnumerable<ChangeFeedEntry<T>> WatchAsync(CancellationToken cancellationToken = default);
}
