using System.Collections.Concurrent;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// Gathers next-free requests for the same subnet that arrive while a transaction for that subnet is
/// running, so that the next transaction serves all of them: one row lock, one read of the free
/// ranges, one commit (one WAL flush) for many callers. Correctness does not depend on this class:
/// every batch is still one database transaction under the subnet's row lock, exactly as a single
/// request is, so other processes are excluded by the database. Each caller completes after the
/// commit of its batch.
/// </summary>
/// <remarks>Thread-safe. The in-process gate only guards the queue, never the allocation.</remarks>
internal sealed class AllocationQueue(Func<IReadOnlyList<PendingAllocation>, Task> runBatch, int maxBatch)
{
    private readonly ConcurrentDictionary<(string Space, Ipv4Prefix Subnet), SubnetQueue> _queues = new();

    public async Task<AddressAllocationResult> EnqueueAsync(AddressRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingAllocation(request, now, Guid.NewGuid(), new TaskCompletionSource<AddressAllocationResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        var queue = _queues.GetOrAdd((request.Space, request.Subnet), _ => new SubnetQueue());
        bool start;
        lock (queue.Gate)
        {
            queue.Waiting.Add(pending);
            start = !queue.Running;
            queue.Running = true;
        }

        if (start)
        {
            // The caller that finds the subnet idle runs the first batch itself (no thread hop for a
            // lone request); later batches, gathered meanwhile, go to the thread pool.
            await RunOneBatchAsync(queue).ConfigureAwait(false);
            if (HasMoreWork(queue))
            {
                _ = Task.Run(() => DrainAsync(queue), CancellationToken.None);
            }
        }

        // Cancelling stops the wait; a request already taken into a batch may still be allocated.
        return await pending.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task DrainAsync(SubnetQueue queue)
    {
        do
        {
            await RunOneBatchAsync(queue).ConfigureAwait(false);
        }
        while (HasMoreWork(queue));
    }

    // Clears Running when nothing waits, so that the next caller starts a batch itself.
    private static bool HasMoreWork(SubnetQueue queue)
    {
        lock (queue.Gate)
        {
            queue.Running = queue.Waiting.Count > 0;
            return queue.Running;
        }
    }

    private async Task RunOneBatchAsync(SubnetQueue queue)
    {
        List<PendingAllocation> batch;
        lock (queue.Gate)
        {
            int take = Math.Min(maxBatch, queue.Waiting.Count);
            batch = queue.Waiting.GetRange(0, take);
            queue.Waiting.RemoveRange(0, take);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await runBatch(batch).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // runBatch completes every request itself; this only guards against a bug leaving callers waiting.
            batch.ForEach(p => p.Done.TrySetException(e));
        }
    }

    private sealed class SubnetQueue
    {
        public Lock Gate { get; } = new();

        public List<PendingAllocation> Waiting { get; } = [];

        public bool Running { get; set; }
    }
}

/// <summary>A queued next-free request: its time, its operation id (to recognize committed work on a re-run) and its caller's completion.</summary>
internal sealed record PendingAllocation(AddressRequest Request, DateTimeOffset Now, Guid Operation, TaskCompletionSource<AddressAllocationResult> Done);
