namespace CloudTemple.Networking.Stores.Conformance.Dhcp;

/// <summary>
/// What every <see cref="ILeaseStore"/> must do, whatever keeps its records. A store's test project
/// subclasses this and implements <see cref="CreateStoreAsync"/>, which must return a store holding no
/// record (a fresh file, database or schema): listing and expiry are global questions.
/// </summary>
public abstract class LeaseStoreConformanceTests : StoreConformanceTests<ILeaseStore>
{
    // Whole milliseconds: every store keeps at least that precision.
    protected static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, 125, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.20.0.0/24");
    private static readonly Ipv4Prefix OtherSubnet = Ipv4Prefix.Parse("10.21.0.0/24");

    protected static Ipv4Address A(string text) => Ipv4Address.Parse(text);

    protected static DhcpClientKey Mac(int n) => DhcpClientKey.FromMacAddress(MacAddress.Parse($"02:00:00:00:00:{n:x2}"));

    protected static DhcpLease Lease(string address, DhcpClientKey client, DhcpLeaseState state = DhcpLeaseState.Bound, int expiresInSeconds = 3600, Ipv4Prefix? subnet = null) =>
        new(A(address), subnet ?? Subnet, client, null, state, T0.AddSeconds(expiresInSeconds));

    [SkippableFact]
    public async Task A_saved_lease_is_found_by_address_and_by_client_with_every_field_intact()
    {
        var client = DhcpClientKey.FromClientIdentifier([0x01, 0x02, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01]);
        var lease = new DhcpLease(A("10.20.0.10"), Subnet, client, MacAddress.Parse("02:00:5e:00:53:01"), DhcpLeaseState.Bound, T0.AddHours(1), "büro-pc");

        await Store.SaveAsync(lease, None);

        Assert.Equal(lease, await Store.FindByAddressAsync(lease.Address, None));
        Assert.Equal(lease, await Store.FindByClientAsync(Subnet, client, None));
        Assert.Null(await Store.FindByClientAsync(OtherSubnet, client, None));
        Assert.Null(await Store.FindByAddressAsync(A("10.20.0.11"), None));
    }

    [SkippableFact]
    public async Task Every_state_and_an_absent_hardware_address_and_host_name_round_trip()
    {
        var states = Enum.GetValues<DhcpLeaseState>();
        for (int i = 0; i < states.Length; i++)
        {
            var lease = Lease($"10.20.0.{20 + i}", Mac(20 + i), states[i], expiresInSeconds: 60 * i);
            await Store.SaveAsync(lease, None);
            Assert.Equal(lease, await Store.FindByAddressAsync(lease.Address, None));
        }
    }

    [SkippableFact]
    public async Task Saving_again_replaces_the_record_of_the_address()
    {
        var first = Lease("10.20.0.10", Mac(1), DhcpLeaseState.Offered, expiresInSeconds: 60);
        var bound = first with { State = DhcpLeaseState.Bound, ExpiresAt = T0.AddHours(1), HostName = "vm-1" };

        await Store.SaveAsync(first, None);
        await Store.SaveAsync(bound, None);

        Assert.Equal(bound, await Store.FindByAddressAsync(first.Address, None));
        Assert.Equal([bound], await Store.ListAsync(None));
    }

    [SkippableFact]
    public async Task A_client_moving_to_another_address_of_the_subnet_leaves_no_record_at_the_old_one()
    {
        await Store.SaveAsync(Lease("10.20.0.10", Mac(1)), None);
        var moved = Lease("10.20.0.30", Mac(1));

        await Store.SaveAsync(moved, None);

        Assert.Null(await Store.FindByAddressAsync(A("10.20.0.10"), None));
        Assert.Equal(moved, await Store.FindByClientAsync(Subnet, Mac(1), None));
        Assert.Equal([moved], await Store.ListAsync(None));
    }

    [SkippableFact]
    public async Task A_client_keeps_one_record_per_subnet()
    {
        var here = Lease("10.20.0.10", Mac(1));
        var there = Lease("10.21.0.10", Mac(1), subnet: OtherSubnet);

        await Store.SaveAsync(here, None);
        await Store.SaveAsync(there, None);

        Assert.Equal(here, await Store.FindByClientAsync(Subnet, Mac(1), None));
        Assert.Equal(there, await Store.FindByClientAsync(OtherSubnet, Mac(1), None));
    }

    [SkippableFact]
    public async Task An_address_given_to_another_client_is_no_longer_found_under_the_first_one()
    {
        await Store.SaveAsync(Lease("10.20.0.10", Mac(1), DhcpLeaseState.Expired), None);
        var second = Lease("10.20.0.10", Mac(2));

        await Store.SaveAsync(second, None);

        Assert.Null(await Store.FindByClientAsync(Subnet, Mac(1), None));
        Assert.Equal(second, await Store.FindByClientAsync(Subnet, Mac(2), None));
        Assert.Equal([second], await Store.ListAsync(None));
    }

    [SkippableFact]
    public async Task Remove_deletes_the_record_once()
    {
        var lease = Lease("10.20.0.10", Mac(1));
        await Store.SaveAsync(lease, None);

        Assert.True(await Store.RemoveAsync(lease.Address, None));
        Assert.False(await Store.RemoveAsync(lease.Address, None));
        Assert.Null(await Store.FindByAddressAsync(lease.Address, None));
        Assert.Null(await Store.FindByClientAsync(Subnet, Mac(1), None));
        Assert.Empty(await Store.ListAsync(None));
    }

    [SkippableFact]
    public async Task Expired_records_are_the_active_states_at_or_before_now_oldest_first_and_bounded()
    {
        await Store.SaveAsync(Lease("10.20.0.1", Mac(1), DhcpLeaseState.Bound, expiresInSeconds: 30), None);
        await Store.SaveAsync(Lease("10.20.0.2", Mac(2), DhcpLeaseState.Offered, expiresInSeconds: 10), None);
        await Store.SaveAsync(Lease("10.20.0.3", Mac(3), DhcpLeaseState.Declined, expiresInSeconds: 20), None);
        await Store.SaveAsync(Lease("10.20.0.4", Mac(4), DhcpLeaseState.Bound, expiresInSeconds: 40), None);
        await Store.SaveAsync(Lease("10.20.0.5", Mac(5), DhcpLeaseState.Released, expiresInSeconds: 5), None);
        await Store.SaveAsync(Lease("10.20.0.6", Mac(6), DhcpLeaseState.Expired, expiresInSeconds: 5), None);
        await Store.SaveAsync(Lease("10.20.0.7", Mac(7), DhcpLeaseState.Bound, expiresInSeconds: 3600), None);

        var now = T0.AddSeconds(40);
        var all = await Store.FindExpiredAsync(now, 100, None);
        var firstTwo = await Store.FindExpiredAsync(now, 2, None);

        Assert.Equal(["10.20.0.2", "10.20.0.3", "10.20.0.1", "10.20.0.4"], all.Select(l => l.Address.ToString()));
        Assert.Equal(["10.20.0.2", "10.20.0.3"], firstTwo.Select(l => l.Address.ToString()));
        Assert.Empty(await Store.FindExpiredAsync(T0, 100, None));
    }

    [SkippableFact]
    public async Task List_returns_every_record_ordered_by_address()
    {
        string[] addresses = ["10.20.0.200", "10.20.0.3", "10.21.0.1", "10.20.0.30"];
        for (int i = 0; i < addresses.Length; i++)
        {
            var subnet = addresses[i].StartsWith("10.21.", StringComparison.Ordinal) ? OtherSubnet : Subnet;
            await Store.SaveAsync(Lease(addresses[i], Mac(i), subnet: subnet), None);
        }

        var listed = await Store.ListAsync(None);

        Assert.Equal(["10.20.0.3", "10.20.0.30", "10.20.0.200", "10.21.0.1"], listed.Select(l => l.Address.ToString()));
    }

    [SkippableFact]
    public async Task Concurrent_saves_of_different_clients_are_all_kept()
    {
        const int Clients = 200;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
        {
            var lease = Lease($"10.20.0.{1 + i}", Mac(i));
            await Store.SaveAsync(lease, None);
        })));

        var listed = await Store.ListAsync(None);

        Assert.Equal(Clients, listed.Count);
        Assert.Equal(Clients, listed.Select(l => l.Client).Distinct().Count());
    }

    [SkippableFact]
    public async Task A_cancelled_operation_throws_and_saves_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.SaveAsync(Lease("10.20.0.10", Mac(1)), cancelled.Token));

        Assert.Empty(await Store.ListAsync(None));
    }
}
