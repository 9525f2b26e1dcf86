namespace CloudTemple.Networking.Sqlite;

/// <summary>Runs a store's migrations once per instance, on first use; a failed attempt is tried again by the next call.</summary>
internal sealed class SchemaInitializer(SqliteDatabase database, string component, IReadOnlyList<string> scripts) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    public async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                await SqliteSchema.EnsureAsync(database, component, scripts, cancellationToken).ConfigureAwait(false);
                _done = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
