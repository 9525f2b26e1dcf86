namespace CloudTemple.Networking.Stores.Conformance;

/// <summary>
/// The life of the store under test, shared by the conformance suites: created before each test by the
/// store's test project, disposed after it (asynchronously when it can be).
/// </summary>
/// <typeparam name="TStore">The store interface under test.</typeparam>
public abstract class StoreConformanceTests<TStore> : IAsyncLifetime
    where TStore : class
{
    private TStore? _store;

    /// <summary>The store under test.</summary>
    protected TStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates the store under test.</summary>
    protected abstract ValueTask<TStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        switch (_store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
