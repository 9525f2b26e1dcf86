namespace CloudTemple.Networking.Dhcp;

// One async gate per stripe of clients. The engine serializes the messages of one client (retransmissions,
// a REQUEST racing its own DISCOVER) but lets different clients proceed in parallel: what they could both
// want, an address, is arbitrated atomically by the address pool. Parallel clients are what lets a durable
// lease store commit several leases in one transaction.
internal sealed class ClientGates : IDisposable
{
    private const int Stripes = 64;

    private readonly SemaphoreSlim[] _gates = new SemaphoreSlim[Stripes];

    public ClientGates()
    {
        for (int i = 0; i < Stripes; i++)
        {
            _gates[i] = new SemaphoreSlim(1, 1);
        }
    }

    public async ValueTask<Entered> EnterAsync(DhcpClientKey client, CancellationToken cancellationToken)
    {
        var gate = _gates[(uint)client.GetHashCode() % Stripes];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Entered(gate);
    }

    public void Dispose()
    {
        foreach (var gate in _gates)
        {
            gate.Dispose();
        }
    }

    public readonly struct Entered(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
