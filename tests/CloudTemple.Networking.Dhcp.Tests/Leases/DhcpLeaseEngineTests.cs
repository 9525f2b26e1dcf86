using CloudTemple.Networking.Dhcp.Protocol;
using static CloudTemple.Networking.Dhcp.Tests.Leases.EngineHarness;

namespace CloudTemple.Networking.Dhcp.Tests.Leases;

/// <summary>The transitions of RFC 2131 section 4.3, one test each.</summary>
public class DhcpLeaseEngineTests
{
    private static readonly Ipv4Address Pool100 = Ipv4Address.Parse("10.0.0.100");

    [Fact]
    public void Discover_is_answered_with_an_offer_from_the_pool_and_the_subnet_options()
    {
        using var h = new EngineHarness();
        var offer = h.Discover(Mac(1));

        Assert.NotNull(offer);
        Assert.Equal(DhcpMessageType.Offer, offer.Type);
        Assert.True(h.Engine.Subnets[0].IsInPool(offer.YourAddress));
        Assert.Equal(ServerAddress, offer.Address(DhcpOptionCode.ServerIdentifier));
        Assert.Equal(Ipv4Address.Parse("255.255.255.0"), offer.Address(DhcpOptionCode.SubnetMask));
        Assert.Equal(Ipv4Address.Parse("10.0.0.1"), offer.Address(DhcpOptionCode.Router));
        Assert.Equal(Ipv4Address.Parse("10.0.0.255"), offer.Address(DhcpOptionCode.BroadcastAddress));
        Assert.Equal(new byte[] { 0x05, 0xAA }, offer.Options[DhcpOptionCode.InterfaceMtu]);
        Assert.Equal(3600u, offer.Seconds(DhcpOptionCode.LeaseTime));
        Assert.Equal(1800u, offer.Seconds(DhcpOptionCode.RenewalTime));
        Assert.Equal(3150u, offer.Seconds(DhcpOptionCode.RebindingTime));
        Assert.True(ClasslessStaticRoute.TryDecode(offer.Options[DhcpOptionCode.ClasslessStaticRoute], out var routes));
        Assert.Contains(new ClasslessStaticRoute(Ipv4Prefix.Any, Ipv4Address.Parse("10.0.0.1")), routes);
        Assert.Contains(new ClasslessStaticRoute(Ipv4Prefix.Parse("192.168.0.0/16"), Ipv4Address.Parse("10.0.0.254")), routes);
        Assert.True(offer.Length >= DhcpConstants.MinimumMessageLength);
        Assert.Equal(DhcpLeaseState.Offered, h.LeaseOf(offer.YourAddress)!.State);
    }

    [Fact]
    public void An_offer_is_held_for_its_client_and_not_offered_to_another()
    {
        using var h = new EngineHarness();
        var first = h.Discover(Mac(1))!;
        var again = h.Discover(Mac(1))!;
        var other = h.Discover(Mac(2))!;

        Assert.Equal(first.YourAddress, again.YourAddress);
        Assert.NotEqual(first.YourAddress, other.YourAddress);
    }

    [Fact]
    public void An_offer_not_taken_within_the_hold_time_is_reclaimed()
    {
        using var h = new EngineHarness();
        var offer = h.Discover(Mac(1))!;
        h.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, h.Reclaim());
        h.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, h.Reclaim());
        Assert.Null(h.LeaseOf(offer.YourAddress));
        Assert.Equal(0, h.Allocated());
    }

    [Fact]
    public void Discover_honours_a_free_requested_address()
    {
        using var h = new EngineHarness();
        var wanted = Ipv4Address.Parse("10.0.0.150");
        Assert.Equal(wanted, h.Discover(Mac(1), requested: wanted)!.YourAddress);
        Assert.NotEqual(wanted, h.Discover(Mac(2), requested: wanted)!.YourAddress);
        Assert.NotEqual(Ipv4Address.Parse("10.0.0.1"), h.Discover(Mac(3), requested: Ipv4Address.Parse("10.0.0.1"))!.YourAddress);
    }

    [Fact]
    public void Request_in_selecting_binds_the_offered_address_and_acks()
    {
        using var h = new EngineHarness();
        var ack = h.Acquire(Mac(1))!;

        Assert.Equal(DhcpMessageType.Ack, ack.Type);
        var lease = h.LeaseOf(ack.YourAddress)!;
        Assert.Equal(DhcpLeaseState.Bound, lease.State);
        Assert.Equal(h.Clock.GetUtcNow() + TimeSpan.FromHours(1), lease.ExpiresAt);
        Assert.Equal(DhcpClientKey.FromMacAddress(Mac(1)), lease.Client);
    }

    [Fact]
    public async Task No_ack_leaves_when_the_lease_cannot_be_stored()
    {
        var store = new FailingStore();
        using var harness = new EngineHarness();
        using var engine = new DhcpLeaseEngine(Microsoft.Extensions.Options.Options.Create(harness.Options), store, new InMemoryDhcpAddressPool(), TimeProvider.System);
        var reply = new byte[1500];
        var offer = await engine.ProcessAsync(Message(DhcpMessageType.Discover, Mac(1)), reply, new DhcpRequestContext(ServerAddress), default);
        var offered = Ipv4Address.Read(reply.AsSpan(16));
        var request = Message(DhcpMessageType.Request, Mac(1), requested: offered, serverId: ServerAddress);
        store.Fail = true;
        Array.Clear(reply);

        Assert.True(offer.HasReply);
        await Assert.ThrowsAsync<IOException>(async () => await engine.ProcessAsync(request, reply, new DhcpRequestContext(ServerAddress), default));
        Assert.True(reply.AsSpan().IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void A_request_naming_another_server_withdraws_our_offer_silently()
    {
        using var h = new EngineHarness();
        var offer = h.Discover(Mac(1))!;
        var reply = h.Send(Message(DhcpMessageType.Request, Mac(1), requested: offer.YourAddress, serverId: Ipv4Address.Parse("10.0.0.3")));

        Assert.Null(reply);
        Assert.Equal(DhcpDropReason.OtherServerSelected, h.LastResult.DropReason);
        Assert.Null(h.LeaseOf(offer.YourAddress));
        Assert.Equal(0, h.Allocated());
    }

    [Fact]
    public void A_request_for_an_address_leased_to_another_client_is_naked()
    {
        using var h = new EngineHarness();
        var ack = h.Acquire(Mac(1))!;
        var nak = h.Send(Message(DhcpMessageType.Request, Mac(2), requested: ack.YourAddress, serverId: ServerAddress))!;

        Assert.Equal(DhcpMessageType.Nak, nak.Type);
        Assert.Equal(Ipv4Address.Any, nak.YourAddress);
        Assert.Equal(Ipv4Address.Broadcast, nak.Destination);
        Assert.False(nak.Options.ContainsKey(DhcpOptionCode.LeaseTime));
        Assert.True(nak.Options.ContainsKey(DhcpOptionCode.Message));
    }

    [Fact]
    public void Init_reboot_with_the_clients_own_address_is_acked()
    {
        using var h = new EngineHarness();
        var ack = h.Acquire(Mac(1))!;
        var again = h.Send(Message(DhcpMessageType.Request, Mac(1), requested: ack.YourAddress))!;

        Assert.Equal(DhcpMessageType.Ack, again.Type);
        Assert.Equal(ack.YourAddress, again.YourAddress);
    }

    [Fact]
    public void Init_reboot_on_the_wrong_network_is_naked()
    {
        using var h = new EngineHarness();
        h.Acquire(Mac(1));
        var nak = h.Send(Message(DhcpMessageType.Request, Mac(1), requested: Ipv4Address.Parse("192.168.7.7")))!;
        Assert.Equal(DhcpMessageType.Nak, nak.Type);
    }

    [Fact]
    public void Init_reboot_of_a_known_client_asking_for_another_address_is_naked()
    {
        using var h = new EngineHarness();
        var ack = h.Acquire(Mac(1))!;
        var other = new Ipv4Address(ack.YourAddress.Value + 7);
        Assert.Equal(DhcpMessageType.Nak, h.Send(Message(DhcpMessageType.Request, Mac(1), requested: other))!.Type);
    }

    [Fact]
    public void Init_reboot_of_an_unknown_client_gets_no_answer()
    {
        using var h = new EngineHarness();
        Assert.Null(h.Send(Message(DhcpMessageType.Request, Mac(9), requested: Ipv4Address.Parse("10.0.0.120"))));
        Assert.Equal(DhcpDropReason.UnknownClient, h.LastResult.DropReason);
    }

    [Fact]
    public void Renewing_extends_the_lease_and_answers_by_unicast_to_ciaddr()
    {
        using var h = new EngineHarness();
        var ack = h.Acquire(Mac(1))!;
        h.Advance(TimeSpan.FromMinutes(30));
        var renewed = h.Send(Message(DhcpMessageType.Request, Mac(1), ciaddr: ack.YourAddress))!;

        Assert.Equal(DhcpMessageType.Ack, renewed.Type);
        Assert.Equal(ack.YourAddress, renewed.YourAddress);
        Assert.Equal(ack.YourAddress, renewed.ClientAddress);
        Assert.Equal(ack.YourAddress, renewed.Destination);
        Assert.Equal(68, renewed.Port);
        Assert.Equal(h.Clock.GetUtcNow() + TimeSpan.FromHours(1), h.LeaseOf(ack.YourAddress)!.ExpiresAt);
    }

    [Fact]
    public void Rebinding_a_free_address_unknown_to_the_server_recovers_the_lease()
    {
        using var h = new EngineHarness();
        var address = Ipv4Address.Parse("10.0.0.130");
        var ack = h.Send(Message(DhcpMessageType.Request, Mac(1), ciaddr: address, broadcast: true))!;

        Assert.Equal(DhcpMessageType.Ack, ack.Type);
        Assert.Equal(DhcpLeaseState.Bound, h.LeaseOf(address)!.State);
    }

    [Fact]
    public void Rebinding_an_address_leased_to_another_client_is_naked()
    {
        using var h = new EngineHarness();
        var ack = h.Acquire(Mac(1))!;
        var nak = h.Send(Message(DhcpMessageType.Request, Mac(2), ciaddr: ack.YourAddress, broadcast: true))!;
        Assert.Equal(DhcpMessageType.Nak, nak.Type);
        Assert.Equal(Ipv4Address.Broadcast, nak.Destination);
    }

    [Fact]
    public void A_declined_address_goes_on_probation_and_back_to_the_pool_afterwards()
    {
        using var h = new EngineHarness(o =>
        {
            o.Subnets[0].PoolEnd = Ipv4Address.Parse("10.0.0.101");
            o.DeclineProbation = TimeSpan.FromHours(1);
        });
        var ack = h.Acquire(Mac(1))!;
        Assert.Null(h.Send(Message(DhcpMessageType.Decline, Mac(1), requested: ack.YourAddress, serverId: ServerAddress)));
        Assert.Equal(DhcpLeaseState.Declined, h.LeaseOf(ack.YourAddress)!.State);

        var second = h.Acquire(Mac(1))!;
        Assert.NotEqual(ack.YourAddress, second.YourAddress);
        Assert.Null(h.Discover(Mac(3)));
        Assert.Equal(DhcpDropReason.PoolExhausted, h.LastResult.DropReason);

        h.Advance(TimeSpan.FromHours(1));
        h.Reclaim();
        Assert.Equal(ack.YourAddress, h.Discover(Mac(3))!.YourAddress);
    }

    [Fact]
    public void Release_frees_the_address_and_the_same_client_gets_it_back_later()
    {
        using var h = new EngineHarness();
        var ack = h.Acquire(Mac(1))!;
        Assert.Null(h.Send(Message(DhcpMessageType.Release, Mac(1), ciaddr: ack.YourAddress, serverId: ServerAddress)));

        Assert.Equal(DhcpLeaseState.Released, h.LeaseOf(ack.YourAddress)!.State);
        Assert.Equal(0, h.Allocated());
        Assert.Equal(ack.YourAddress, h.Acquire(Mac(1))!.YourAddress);
    }

    [Fact]
    public void A_release_by_another_client_changes_nothing()
    {
        using var h = new EngineHarness();
        var ack = h.Acquire(Mac(1))!;
        h.Send(Message(DhcpMessageType.Release, Mac(2), ciaddr: ack.YourAddress, serverId: ServerAddress));
        Assert.Equal(DhcpLeaseState.Bound, h.LeaseOf(ack.YourAddress)!.State);
    }

    [Fact]
    public void Inform_is_answered_with_options_but_no_lease_to_ciaddr()
    {
        using var h = new EngineHarness();
        var client = Ipv4Address.Parse("10.0.0.20");
        var ack = h.Send(Message(DhcpMessageType.Inform, Mac(1), ciaddr: client))!;

        Assert.Equal(DhcpMessageType.Ack, ack.Type);
        Assert.Equal(Ipv4Address.Any, ack.YourAddress);
        Assert.Equal(client, ack.ClientAddress);
        Assert.Equal(client, ack.Destination);
        Assert.False(ack.Options.ContainsKey(DhcpOptionCode.LeaseTime));
        Assert.True(ack.Options.ContainsKey(DhcpOptionCode.DomainNameServer));
        Assert.Null(h.LeaseOf(client));
    }

    [Fact]
    public void A_bound_lease_that_expires_is_reclaimed_and_remembered_for_its_client()
    {
        using var h = new EngineHarness();
        var ack = h.Acquire(Mac(1))!;
        h.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, h.Reclaim());

        Assert.Equal(DhcpLeaseState.Expired, h.LeaseOf(ack.YourAddress)!.State);
        Assert.Equal(0, h.Allocated());
        Assert.Equal(ack.YourAddress, h.Discover(Mac(1))!.YourAddress);
    }

    [Fact]
    public void A_reservation_by_mac_gives_its_address_and_host_name_and_no_one_else_gets_it()
    {
        using var h = new EngineHarness(o => o.Subnets[0].PoolStart = Ipv4Address.Parse("10.0.0.10"));
        var reserved = Ipv4Address.Parse("10.0.0.50");
        var ack = h.Acquire(MacAddress.Parse("02:00:00:00:00:aa"))!;
        Assert.Equal(reserved, ack.YourAddress);
        Assert.Equal("db"u8.ToArray(), ack.Options[DhcpOptionCode.HostName]);

        for (int i = 1; i <= 60; i++)
        {
            Assert.NotEqual(reserved, h.Discover(Mac(i), requested: reserved)!.YourAddress);
        }

        Assert.Equal(DhcpMessageType.Nak, h.Send(Message(DhcpMessageType.Request, Mac(1), requested: reserved, serverId: ServerAddress))!.Type);
    }

    [Fact]
    public void A_reservation_by_client_identifier_matches_option_61()
    {
        byte[] clientId = [0xFF, 1, 2, 3, 4];
        using var h = new EngineHarness(o => o.Subnets[0].Reservations.Add(
            new DhcpReservation { ClientIdentifier = clientId, Address = Ipv4Address.Parse("10.0.0.60") }));

        Assert.Equal(Ipv4Address.Parse("10.0.0.60"), h.Acquire(Mac(7), clientId)!.YourAddress);
        Assert.NotEqual(Ipv4Address.Parse("10.0.0.60"), h.Acquire(Mac(8))!.YourAddress);
    }

    [Fact]
    public void Client_identification_decides_whether_option_61_or_the_mac_names_the_lease()
    {
        using var byId = new EngineHarness();
        var a = byId.Acquire(Mac(1), [1, 9, 9])!;
        var b = byId.Acquire(Mac(1), [1, 8, 8])!;
        Assert.NotEqual(a.YourAddress, b.YourAddress);

        using var byMac = new EngineHarness(o => o.ClientIdentification = DhcpClientIdentification.HardwareAddress);
        var c = byMac.Acquire(Mac(1), [1, 9, 9])!;
        var d = byMac.Acquire(Mac(1), [1, 8, 8])!;
        Assert.Equal(c.YourAddress, d.YourAddress);
    }

    [Fact]
    public void A_relayed_request_is_served_from_the_giaddr_subnet_and_answered_to_the_relay()
    {
        using var h = new EngineHarness(o =>
        {
            var remote = new DhcpSubnetOptions { Prefix = Ipv4Prefix.Parse("10.1.0.0/24") };
            remote.Routers.Add(Ipv4Address.Parse("10.1.0.1"));
            o.Subnets.Add(remote);
        });
        var relay = Ipv4Address.Parse("10.1.0.1");
        byte[] agentInfo = [1, 3, (byte)'e', (byte)'t', (byte)'h'];
        var offer = h.Send(Message(DhcpMessageType.Discover, Mac(1), giaddr: relay, relayInfo: agentInfo))!;

        Assert.True(Ipv4Prefix.Parse("10.1.0.0/24").Contains(offer.YourAddress));
        Assert.Equal(relay, offer.Destination);
        Assert.Equal(67, offer.Port);
        Assert.Equal(agentInfo, offer.Options[DhcpOptionCode.RelayAgentInformation]);

        var nak = h.Send(Message(DhcpMessageType.Request, Mac(1), requested: Ipv4Address.Parse("10.0.0.100"), giaddr: relay, relayInfo: agentInfo))!;
        Assert.Equal(DhcpMessageType.Nak, nak.Type);
        Assert.Equal(relay, nak.Destination);
        Assert.NotEqual(0, nak.Flags & DhcpConstants.BroadcastFlag);
    }

    [Fact]
    public void The_receiving_interface_address_selects_the_subnet_of_direct_requests()
    {
        using var h = new EngineHarness(o => o.Subnets.Add(new DhcpSubnetOptions { Prefix = Ipv4Prefix.Parse("10.1.0.0/24") }));
        var offer = h.Send(Message(DhcpMessageType.Discover, Mac(1)), localAddress: Ipv4Address.Parse("10.1.0.2"))!;
        Assert.True(Ipv4Prefix.Parse("10.1.0.0/24").Contains(offer.YourAddress));
        Assert.Null(h.Send(Message(DhcpMessageType.Discover, Mac(1)), localAddress: Ipv4Address.Parse("172.16.0.1")));
        Assert.Equal(DhcpDropReason.NoSubnet, h.LastResult.DropReason);
    }

    [Fact]
    public void Replies_to_clients_without_an_address_are_broadcast()
    {
        using var h = new EngineHarness();
        var offer = h.Send(Message(DhcpMessageType.Discover, Mac(1), broadcast: true))!;
        Assert.Equal(Ipv4Address.Broadcast, offer.Destination);
        Assert.Equal(68, offer.Port);
        Assert.Equal(DhcpConstants.BroadcastFlag, offer.Flags);
        Assert.Equal(Ipv4Address.Broadcast, h.Discover(Mac(2))!.Destination);
    }

    [Fact]
    public void Only_requested_options_are_sent_when_the_client_sends_a_parameter_request_list()
    {
        using var h = new EngineHarness();
        var offer = h.Send(Message(DhcpMessageType.Discover, Mac(1), parameterRequestList: [1, 3, 6]))!;
        Assert.True(offer.Options.ContainsKey(DhcpOptionCode.DomainNameServer));
        Assert.False(offer.Options.ContainsKey(DhcpOptionCode.DomainName));
        Assert.False(offer.Options.ContainsKey(DhcpOptionCode.ClasslessStaticRoute));
        Assert.True(offer.Options.ContainsKey(DhcpOptionCode.LeaseTime));
    }

    [Fact]
    public void Malformed_bootp_and_server_messages_are_dropped_with_a_reason()
    {
        using var h = new EngineHarness();
        Assert.Null(h.Send([1, 2, 3]));
        Assert.Equal(DhcpDropReason.Malformed, h.LastResult.DropReason);

        var bootp = Message(DhcpMessageType.Discover, Mac(1));
        bootp[242] = 0; // type option becomes a pad + garbage: rebuild a plain BOOTP request instead
        var plain = new byte[300];
        bootp.AsSpan(0, 240).CopyTo(plain);
        plain[240] = 255;
        Assert.Null(h.Send(plain));
        Assert.Equal(DhcpDropReason.NotADhcpRequest, h.LastResult.DropReason);

        Assert.Null(h.Send(Message(DhcpMessageType.Offer, Mac(1))));
        Assert.Equal(DhcpDropReason.UnexpectedMessageType, h.LastResult.DropReason);
    }

    [Fact]
    public void Invalid_options_are_refused_with_every_reason()
    {
        var options = new DhcpServerOptions();
        var subnet = new DhcpSubnetOptions { Prefix = Ipv4Prefix.Parse("10.0.0.0/24"), PoolStart = Ipv4Address.Parse("10.0.1.5"), Mtu = 20 };
        subnet.Routers.Add(Ipv4Address.Parse("192.168.0.1"));
        options.Subnets.Add(subnet);
        options.Subnets.Add(new DhcpSubnetOptions { Prefix = Ipv4Prefix.Parse("10.0.0.128/25") });

        var failures = new DhcpServerOptionsValidator().GetFailures(options);
        Assert.Contains(failures, f => f.Contains("pool", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("router 192.168.0.1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("DhcpServerOptions:Subnets:0:Mtu", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("overlap", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new DhcpLeaseEngine(Microsoft.Extensions.Options.Options.Create(options), new InMemoryLeaseStore(), new InMemoryDhcpAddressPool(), TimeProvider.System));
    }

    private sealed class FailingStore : ILeaseStore
    {
        private readonly InMemoryLeaseStore _inner = new();

        public bool Fail { get; set; }

        public ValueTask<DhcpLease?> FindByAddressAsync(Ipv4Address address, CancellationToken cancellationToken) => _inner.FindByAddressAsync(address, cancellationToken);

        public ValueTask<DhcpLease?> FindByClientAsync(Ipv4Prefix subnet, DhcpClientKey client, CancellationToken cancellationToken) => _inner.FindByClientAsync(subnet, client, cancellationToken);

        public ValueTask SaveAsync(DhcpLease lease, CancellationToken cancellationToken) =>
            Fail ? throw new IOException("disk full") : _inner.SaveAsync(lease, cancellationToken);

        public ValueTask<bool> RemoveAsync(Ipv4Address address, CancellationToken cancellationToken) => _inner.RemoveAsync(address, cancellationToken);

        public ValueTask<IReadOnlyList<DhcpLease>> FindExpiredAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken) => _inner.FindExpiredAsync(now, maxCount, cancellationToken);

        public ValueTask<IReadOnlyList<DhcpLease>> ListAsync(CancellationToken cancellationToken) => _inner.ListAsync(cancellationToken);
    }
}
