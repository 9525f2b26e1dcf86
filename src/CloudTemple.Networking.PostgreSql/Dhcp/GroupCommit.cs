using System.Threading.Channels;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// Group commit of lease saves: callers queue their lease and wait; a writer takes everything
/// queued (up to <see cref="PostgreSqlStoreOptions.MaxBatchSize"/>) and writes it in one transaction,
/// in arrival order, then completes every caller of the batch. A few writers run at once, so that a
/// batch fills while the previous one commits and PostgreSQL can flush their commits together. A caller's task completes only after
/// the transaction holding its lease has committed, so "saved before the DHCPACK" still holds, while
/// one commit (one WAL flush) serves many concurrent clients. A save that finds no other save in
/// flight is written by its caller directly: a lone client pays no hand-over to a writer.
/// </summary>
/// <remarks>
/// When a batch fails for a non-transient reason, its leases are written again one by one, so that a
/// bad record fails only its own caller. Thread-safe.
/// </remarks>
internal sealed class GroupCommit : IAsyncDisposable
{
    // Enough to keep a batch filling while others commit; more would only add contention on the pool.
    private const int Writers = 4;

    private readonly Channel<PendingSave> _queue = Channel.CreateUnbounded<PendingSave>();
    private readonly Func<IReadOnlyList<DhcpLease>, CancellationToken, Task> _write;
    private readonly int _maxBatch;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writers;
    private int _inFlight;
    private volatile bool _disposed;

    public GroupCommit(Func<IReadOnlyList<DhcpLease>, CancellationToken, Task> write, int maxBatch)
    {
        _write = write;
        _maxBatch = maxBatch;
        _writers = Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync)));
    }

    /// <summary>Saves the lease, alone when nothing else is in flight or else with the queued batch; completes when it is committed (or failed).</summary>
    public async Task SaveAsync(DhcpLease lease, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            if (Interlocked.Increment(ref _inFlight) == 1)
            {
                await _write([lease], cancellationToken).ConfigureAwait(false);
                return;
            }

            var pending = new PendingSave(lease, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

            // Cancelling stops the wait; a lease already queued may still be written.
            await pending.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _queue.Writer.TryComplete();
        try
        {
            await _writers.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingSave>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await _write([.. batch.Select(p => p.Lease)], _stopping.Token).ConfigureAwait(false);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception) when (batch.Count > 1)
            {
                foreach (var pending in batch)
                {
                    await WriteAloneAsync(pending).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                batch[0].Done.TrySetException(e);
            }

            batch.Clear();
        }
    }

    private async Task WriteAloneAsync(PendingSave pending)
    {
        try
        {
            await _write([pending.Lease], _stopping.Token).ConfigureAwait(false);
            pending.Done.TrySetResult();
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    private sealed record PendingSave(DhcpLease Lease, TaskCompletionSource Done);
}
