using CloudTemple.Networking.Changes;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Changes;

public class ChangeFeedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Entries_are_numbered_from_one_in_publication_order()
    {
        using var feed = new ChangeFeed<string>();
        using var stop = new CancellationTokenSource(Patience);
        await using var reader = feed.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var first = reader.MoveNextAsync(); // subscribes

        Assert.Equal(1, feed.Publish("a"));
        Assert.Equal(2, feed.Publish("b"));
        Assert.Equal(3, feed.Publish("c"));

        Assert.True(await first);
        var seen = new List<ChangeFeedEntry<string>> { reader.Current };
        while (seen.Count < 3 && await reader.MoveNextAsync())
        {
            seen.Add(reader.Current);
        }

        Assert.Equal([new(1, "a"), new(2, "b"), new(3, "c")], seen);
        Assert.Equal(3, feed.LastSequence);
        Assert.Equal(0, feed.DroppedCount);
    }

    [Fact]
    public async Task A_subscriber_sees_only_what_is_published_after_it_subscribed()
    {
        using var feed = new ChangeFeed<int>();
        feed.Publish(1);
        Assert.False(feed.HasSubscribers);
        await using var reader = feed.WatchAsync().GetAsyncEnumerator();
        var next = reader.MoveNextAsync();
        Assert.True(feed.HasSubscribers);
        feed.Publish(2);
        Assert.True(await next);
        Assert.Equal(new ChangeFeedEntry<int>(2, 2), reader.Current);
    }

    [Fact]
    public async Task Overflow_drops_the_oldest_entries_counts_them_and_leaves_a_visible_gap()
    {
        int callbacks = 0;
        using var feed = new ChangeFeed<int>(capacity: 3, dropped: () => Interlocked.Increment(ref callbacks));
        await using var slow = feed.WatchAsync().GetAsyncEnumerator();
        await using var fast = feed.WatchAsync().GetAsyncEnumerator();
        var slowFirst = slow.MoveNextAsync();
        var fastFirst = fast.MoveNextAsync();
        feed.Publish(1);
        Assert.True(await slowFirst);
        long previous = slow.Current.Sequence;
        Assert.True(await fastFirst);
        for (int i = 2; i <= 4; i++)
        {
            feed.Publish(i);
            Assert.True(await fast.MoveNextAsync()); // the fast subscriber keeps up
            Assert.Equal(i, fast.Current.Sequence);
        }

        for (int i = 5; i <= 7; i++)
        {
            feed.Publish(i);
        }

        // The slow subscriber's buffer of 3 held 2, 3, 4, then lost them to 5, 6, 7.
        Assert.True(await slow.MoveNextAsync());
        Assert.Equal(5, slow.Current.Sequence);
        Assert.Equal(3, slow.Current.Sequence - previous - 1); // the gap: 2, 3 and 4 are missing after 1
        Assert.Equal(3, feed.DroppedCount);
        Assert.Equal(3, Volatile.Read(ref callbacks));
        Assert.True(await slow.MoveNextAsync());
        Assert.Equal(6, slow.Current.Sequence);
    }

    [Fact]
    public async Task Disposing_completes_every_subscriber_after_what_it_holds_and_later_subscribers_end_at_once()
    {
        var feed = new ChangeFeed<int>();
        await using var waiting = feed.WatchAsync().GetAsyncEnumerator();
        await using var holding = feed.WatchAsync().GetAsyncEnumerator();
        var waitingNext = waiting.MoveNextAsync();
        var holdingFirst = holding.MoveNextAsync();
        feed.Publish(1);
        feed.Publish(2);
        Assert.True(await holdingFirst);
        Assert.True(await waitingNext);

        feed.Dispose();
        Assert.True(await holding.MoveNextAsync()); // entry 2 was already buffered
        Assert.Equal(2, holding.Current.Sequence);
        Assert.False(await holding.MoveNextAsync());
        Assert.True(await waiting.MoveNextAsync());
        Assert.False(await waiting.MoveNextAsync());
        Assert.False(feed.HasSubscribers);

        await using var late = feed.WatchAsync().GetAsyncEnumerator();
        Assert.False(await late.MoveNextAsync());
        Assert.Equal(3, feed.Publish(3)); // publishing after dispose reaches nobody and does not throw
    }

    [Fact]
    public async Task Cancelling_ends_the_enumeration_with_OperationCanceledException_and_unsubscribes()
    {
        using var feed = new ChangeFeed<int>();
        using var cancel = new CancellationTokenSource();
        var reader = feed.WatchAsync(cancel.Token).GetAsyncEnumerator();
        var pending = reader.MoveNextAsync();
        Assert.True(feed.HasSubscribers);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
        await reader.DisposeAsync();
        Assert.False(feed.HasSubscribers);
    }

    [Fact]
    public async Task Breaking_out_of_await_foreach_unsubscribes()
    {
        using var feed = new ChangeFeed<int>();
        var reading = Task.Run(async () =>
        {
            await foreach (var entry in feed.WatchAsync())
            {
                return entry.Sequence;
            }

            return 0;
        });
        while (!feed.HasSubscribers)
        {
            await Task.Delay(1);
        }

        feed.Publish(7);
        Assert.Equal(1, await reading.WaitAsync(Patience));
        Assert.False(feed.HasSubscribers);
    }

    [Fact]
    public async Task Concurrent_publishers_give_every_subscriber_all_entries_in_sequence_order_without_gaps()
    {
        const int Publishers = 8;
        const int PerPublisher = 5_000;
        using var feed = new ChangeFeed<(int Publisher, int Index)>(ChangeFeed.MaxCapacity);
        var readers = Enumerable.Range(0, 3).Select(_ => feed.WatchAsync().GetAsyncEnumerator()).ToArray();
        var firsts = readers.Select(r => r.MoveNextAsync().AsTask()).ToArray();

        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(p => Task.Run(() =>
        {
            for (int i = 0; i < PerPublisher; i++)
            {
                feed.Publish((p, i));
            }
        })));

        for (int r = 0; r < readers.Length; r++)
        {
            Assert.True(await firsts[r]);
            var lastIndex = new int[Publishers];
            Array.Fill(lastIndex, -1);
            long expected = 1;
            do
            {
                var entry = readers[r].Current;
                Assert.Equal(expected++, entry.Sequence);
                Assert.Equal(lastIndex[entry.Change.Publisher] + 1, entry.Change.Index); // each publisher's order is kept
                lastIndex[entry.Change.Publisher] = entry.Change.Index;
            }
            while (expected <= Publishers * PerPublisher && await readers[r].MoveNextAsync());

            Assert.Equal(Publishers * PerPublisher + 1, expected);
            await readers[r].DisposeAsync();
        }

        Assert.Equal(Publishers * PerPublisher, feed.LastSequence);
        Assert.Equal(0, feed.DroppedCount);
    }

    [Fact]
    public async Task Concurrent_publishers_into_a_small_buffer_lose_only_counted_entries_and_sequences_keep_increasing()
    {
        using var feed = new ChangeFeed<int>(capacity: 4);
        await using var reader = feed.WatchAsync().GetAsyncEnumerator();
        var first = reader.MoveNextAsync();
        feed.Publish(0);
        Assert.True(await first); // the reader now waits for its next MoveNextAsync: nothing more is read meanwhile
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                feed.Publish(i);
            }
        })));

        var sequences = new List<long>();
        while (sequences.Count < 4 && await reader.MoveNextAsync())
        {
            sequences.Add(reader.Current.Sequence);
        }

        Assert.Equal([7_998L, 7_999L, 8_000L, 8_001L], sequences);
        Assert.Equal(8_000 - 4, feed.DroppedCount);
    }

    [Fact]
    public void Capacity_outside_1_to_MaxCapacity_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChangeFeed<int>(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChangeFeed<int>(ChangeFeed.MaxCapacity + 1));
        using var largest = new ChangeFeed<int>(ChangeFeed.MaxCapacity);
        Assert.Equal(ChangeFeed.MaxCapacity, largest.Capacity);
        Assert.True(ChangeFeed.IsValidCapacity(ChangeFeed.DefaultCapacity));
        Assert.False(ChangeFeed.IsValidCapacity(-1));
    }

    [Property(MaxTest = 200)]
    public bool An_unread_subscriber_keeps_the_last_capacity_entries_and_every_other_one_is_counted(byte capacityByte, ushort publishedWord)
    {
        int capacity = capacityByte % 64 + 1;
        int published = publishedWord % 300;
        using var feed = new ChangeFeed<int>(capacity);
        var reader = feed.WatchAsync().GetAsyncEnumerator();
        var first = reader.MoveNextAsync(); // subscribes
        feed.Publish(0);
        if (!first.AsTask().GetAwaiter().GetResult() || reader.Current.Sequence != 1)
        {
            return false;
        }

        // The reader is parked between MoveNextAsync calls: everything below stays in (or falls out of) its buffer.
        for (int i = 1; i <= published; i++)
        {
            feed.Publish(i);
        }

        feed.Dispose();
        var seen = new List<long>();
        while (reader.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            seen.Add(reader.Current.Sequence);
        }

        reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        int kept = Math.Min(capacity, published);
        return feed.DroppedCount == published - kept
            && seen.SequenceEqual(Enumerable.Range(published - kept + 2, kept).Select(i => (long)i));
    }
}
