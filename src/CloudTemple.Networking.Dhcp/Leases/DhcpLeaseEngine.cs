using System.Diagnostics;
using System.Diagnostics.Metrics;
using CloudTemple.Networking.Changes;
using CloudTemple.Networking.Dhcp.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// The DHCPv4 server logic of RFC 2131 section 4.3 without sockets: request bytes in, reply bytes and
/// destination out. The UDP server uses it, and so can a simulated network (the in-process entry).
/// </summary>
/// <remarks>
/// Thread-safe. The messages of one client are handled one at a time (an async gate per stripe of client
/// keys); different clients are handled in parallel, and the address they could both want is arbitrated by
/// the pool, whose operations are atomic (also across engines sharing it). Parallel clients let a durable
/// store commit several leases at once. A lease is written to the <see cref="ILeaseStore"/> before its DHCPACK is written.
/// All times come from the <see cref="TimeProvider"/>. Each message is measured on the Meter and traced (one span) on the
/// ActivitySource named in <see cref="DhcpTelemetry"/>; lease changes are published on <see cref="Changes"/>.
/// </remarks>
public sealed class DhcpLeaseEngine : IDisposable
{
    private const int ReclaimBatch = 1024;

    private readonly DhcpSubnet[] _subnets;
    private readonly DhcpClientIdentification _identification;
    private readonly TimeSpan _offerHold;
    private readonly TimeSpan _probation;
    private readonly int _clientPort;
    private readonly int _serverPort;
    private readonly ILeaseStore _store;
    private readonly IDhcpAddressPool _pool;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DhcpMetrics _metrics;
    private readonly ClientGates _gates = new();
    private readonly ChangeFeed<DhcpLeaseEvent> _feed;

    /// <summary>Creates an engine.</summary>
    /// <param name="options">The options (validated here too).</param>
    /// <param name="store">Where leases are kept.</param>
    /// <param name="pool">Where dynamic addresses come from.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger, if any.</param>
    /// <param name="meterFactory">Creates the meter, if any (otherwise a plain <see cref="Meter"/>).</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists why.</exception>
    public DhcpLeaseEngine(
        IOptions<DhcpServerOptions> options,
        ILeaseStore store,
        IDhcpAddressPool pool,
        TimeProvider timeProvider,
        ILogger<DhcpLeaseEngine>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var value = options.Value;
        var failures = new DhcpServerOptionsValidator().GetFailures(value);
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid DHCP options: " + string.Join(" ", failures), nameof(options));
        }

        _subnets = [.. value.Subnets.Select(s => new DhcpSubnet(s))];
        _identification = value.ClientIdentification;
        _offerHold = value.OfferHoldTime;
        _probation = value.DeclineProbation;
        _clientPort = value.ClientPort;
        _serverPort = value.ServerPort;
        _store = store;
        _pool = pool;
        _time = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _metrics = new DhcpMetrics(meterFactory);
        _feed = new ChangeFeed<DhcpLeaseEvent>(value.ChangeFeedCapacity, _metrics.ChangeDropped);
    }

    /// <summary>
    /// The lease change feed: bound, released, declined and expired leases, in the order the engine took its
    /// decisions; subscribe with <see cref="IChangeFeed{T}.WatchAsync"/>. Completed when the engine is disposed.
    /// </summary>
    /// <remarks>
    /// Each subscriber has its own buffer of <see cref="DhcpServerOptions.ChangeFeedCapacity"/> entries. The
    /// server never waits for a subscriber: when its buffer is full the oldest entry is dropped, counted on
    /// <c>cloudtemple.dhcp.changes.dropped</c> and seen by the subscriber as a gap in <see cref="ChangeFeedEntry{T}.Sequence"/>.
    /// </remarks>
    public IChangeFeed<DhcpLeaseEvent> Changes => _feed;

    /// <summary>The served subnets.</summary>
    public IReadOnlyList<DhcpSubnet> Subnets => _subnets;

    /// <summary>Handles one request and writes the reply, if any.</summary>
    /// <param name="request">The UDP payload received.</param>
    /// <param name="reply">Where to write the reply; 576 bytes or more is advisable (1500 for long option lists).</param>
    /// <param name="context">Where the request came in.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The reply's length and destination, or why there is none. Malformed input never throws.</returns>
    public async ValueTask<DhcpProcessResult> ProcessAsync(
        ReadOnlyMemory<byte> request, Memory<byte> reply, DhcpRequestContext context, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using var activity = DhcpTelemetry.Source.StartActivity("dhcp.process_message", ActivityKind.Server);
        var type = DhcpMessageType.None;
        try
        {
            var drop = TryRead(request.Span, out var message);
            type = message?.Type ?? DhcpMessageType.None;
            var result = message is null || drop != DhcpDropReason.None
                ? Drop(type, drop)
                : await ProcessCoreAsync(message, reply, context, activity, cancellationToken).ConfigureAwait(false);
            string outcome = result.HasReply ? "replied" : result.DropReason != DhcpDropReason.None ? "dropped" : "no_reply";
            _metrics.Processed(type, outcome, Stopwatch.GetElapsedTime(started));
            if (activity is not null)
            {
                activity.SetTag("cloudtemple.dhcp.message_type", DhcpMetrics.Name(type));
                activity.SetTag("cloudtemple.dhcp.result", outcome);
                if (result.HasReply)
                {
                    activity.SetTag("cloudtemple.dhcp.reply_type", DhcpMetrics.Name(result.ReplyType));
                }
                else if (result.DropReason != DhcpDropReason.None)
                {
                    activity.SetTag("cloudtemple.dhcp.drop_reason", DhcpMetrics.ReasonName(result.DropReason));
                }
            }

            return result;
        }
        catch (Exception error)
        {
            string errorType = error is OperationCanceledException ? "cancelled" : error.GetType().Name;
            _metrics.Processed(type, "error", Stopwatch.GetElapsedTime(started));
            activity?.SetTag("cloudtemple.dhcp.message_type", DhcpMetrics.Name(type));
            activity?.SetTag("cloudtemple.dhcp.result", "error");
            activity?.SetTag("error.type", errorType);
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            throw;
        }
    }

    private async ValueTask<DhcpProcessResult> ProcessCoreAsync(
        DhcpRequest message, Memory<byte> reply, DhcpRequestContext context, Activity? activity, CancellationToken cancellationToken)
    {
        _metrics.Received(message.Type);
        if (activity is not null)
        {
            activity.SetTag("cloudtemple.dhcp.transaction_id", message.TransactionId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
            activity.SetTag("cloudtemple.dhcp.client", message.Key.ToString());
        }

        var subnet = SelectSubnet(message, context);
        if (subnet is null)
        {
            return Drop(message.Type, DhcpDropReason.NoSubnet);
        }

        var serverId = subnet.ServerIdentifier ?? context.LocalAddress;
        if (serverId == Ipv4Address.Any)
        {
            return Drop(message.Type, DhcpDropReason.NoServerIdentifier);
        }

        Decision decision;
        if (message.Type == DhcpMessageType.Inform)
        {
            decision = Decision.Inform();
        }
        else
        {
            using (await _gates.EnterAsync(message.Key, cancellationToken).ConfigureAwait(false))
            {
                var now = _time.GetUtcNow();
                decision = message.Type switch
                {
                    DhcpMessageType.Discover => await DiscoverAsync(message, subnet, now, cancellationToken).ConfigureAwait(false),
                    DhcpMessageType.Request => await RequestAsync(message, subnet, serverId, now, cancellationToken).ConfigureAwait(false),
                    DhcpMessageType.Decline => await DeclineAsync(message, subnet, serverId, now, cancellationToken).ConfigureAwait(false),
                    DhcpMessageType.Release => await ReleaseAsync(message, subnet, serverId, now, cancellationToken).ConfigureAwait(false),
                    _ => Decision.Dropped(DhcpDropReason.UnexpectedMessageType),
                };
            }
        }

        if (decision.Drop != DhcpDropReason.None)
        {
            return Drop(message.Type, decision.Drop);
        }

        if (decision.Reply == DhcpMessageType.None)
        {
            return DhcpProcessResult.NoReply;
        }

        int length;
        try
        {
            length = WriteReply(reply.Span, message, subnet, serverId, decision);
        }
        catch (InvalidOperationException)
        {
            return Drop(message.Type, DhcpDropReason.ReplyTooLarge);
        }

        _metrics.Sent(decision.Reply);
        if (activity is not null)
        {
            activity.SetTag("cloudtemple.dhcp.subnet", subnet.Prefix.ToString());
            if (decision.YourAddress != Ipv4Address.Any)
            {
                activity.SetTag("cloudtemple.dhcp.address", decision.YourAddress.ToString());
            }
        }

        var (destination, port) = Destination(message, decision.Reply);
        return new DhcpProcessResult(length, decision.Reply, destination, port, DhcpDropReason.None);
    }

    /// <summary>Reclaims what ran out: expired offers and probations free their address; expired leases become <see cref="DhcpLeaseState.Expired"/> (remembered for the same client) and free theirs.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many records were reclaimed.</returns>
    public async ValueTask<int> ReclaimExpiredAsync(CancellationToken cancellationToken)
    {
        using var activity = DhcpTelemetry.Source.StartActivity("dhcp.reclaim_expired");
        int reclaimed = 0;
        var now = _time.GetUtcNow();
        foreach (var candidate in await _store.FindExpiredAsync(now, ReclaimBatch, cancellationToken).ConfigureAwait(false))
        {
            using (await _gates.EnterAsync(candidate.Client, cancellationToken).ConfigureAwait(false))
            {
                // The client may have renewed or moved since the list was read: act only on the record as listed.
                var lease = await _store.FindByAddressAsync(candidate.Address, cancellationToken).ConfigureAwait(false);
                if (lease != candidate)
                {
                    continue;
                }

                var subnet = Array.Find(_subnets, s => s.Prefix == lease.Subnet);
                if (lease.State == DhcpLeaseState.Bound)
                {
                    var expired = lease with { State = DhcpLeaseState.Expired };
                    await _store.SaveAsync(expired, cancellationToken).ConfigureAwait(false);
                    _metrics.Lease("expired");
                    PublishLease(DhcpLeaseEventKind.Expired, expired);
                }
                else
                {
                    await _store.RemoveAsync(lease.Address, cancellationToken).ConfigureAwait(false);
                }

                if (subnet is not null && subnet.IsInPool(lease.Address))
                {
                    await _pool.ReleaseAsync(subnet, lease.Address, cancellationToken).ConfigureAwait(false);
                }

                DhcpLog.Reclaimed(_logger, lease.State, lease.Address, lease.Client);
                reclaimed++;
            }
        }

        foreach (var subnet in _subnets)
        {
            long allocated = await _pool.CountAllocatedAsync(subnet, cancellationToken).ConfigureAwait(false);
            _metrics.PoolUsage(subnet.Prefix, allocated, subnet.DynamicSize);
        }

        activity?.SetTag("cloudtemple.dhcp.reclaimed", reclaimed);
        return reclaimed;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _feed.Dispose();
        _metrics.Dispose();
        _gates.Dispose();
    }

    // Builds the entry only when someone reads the feed.
    private void PublishLease(DhcpLeaseEventKind kind, DhcpLease lease)
    {
        if (_feed.HasSubscribers)
        {
            _feed.Publish(new DhcpLeaseEvent(kind, lease));
        }
    }

    private DhcpDropReason TryRead(ReadOnlySpan<byte> bytes, out DhcpRequest? request)
    {
        request = null;
        if (!DhcpMessageReader.TryParse(bytes, out var message, out _))
        {
            return DhcpDropReason.Malformed;
        }

        if (message.OpCode != DhcpOpCode.BootRequest || message.MessageType == DhcpMessageType.None)
        {
            return DhcpDropReason.NotADhcpRequest;
        }

        request = DhcpRequest.From(message, _identification);
        return DhcpDropReason.None;
    }

    private DhcpProcessResult Drop(DhcpMessageType type, DhcpDropReason reason)
    {
        _metrics.Dropped(reason);
        DhcpLog.Dropped(_logger, type, reason);
        return DhcpProcessResult.Dropped(reason);
    }

    private DhcpSubnet? SelectSubnet(DhcpRequest request, DhcpRequestContext context)
    {
        var key = request.GatewayAddress != Ipv4Address.Any ? request.GatewayAddress
            : context.LocalAddress != Ipv4Address.Any ? context.LocalAddress
            : request.ClientAddress;
        if (key == Ipv4Address.Any)
        {
            return _subnets.Length == 1 ? _subnets[0] : null;
        }

        return Array.Find(_subnets, s => s.Prefix.Contains(key));
    }

    // RFC 2131 section 4.3.1: the client's current or previous address, a reservation, the requested address, or a new one.
    private async ValueTask<Decision> DiscoverAsync(DhcpRequest request, DhcpSubnet subnet, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mine = await _store.FindByClientAsync(subnet.Prefix, request.Key, cancellationToken).ConfigureAwait(false);
        var reservation = subnet.FindReservation(request.Mac, request.ClientIdentifier);
        Ipv4Address? address = null;
        if (mine is { State: DhcpLeaseState.Bound } && mine.ExpiresAt > now)
        {
            // The current binding comes first, reservation or not: an active lease is never taken back by a DISCOVER.
            address = mine.Address;
        }
        else if (reservation is not null && !await IsOnProbationAsync(reservation.Address, now, cancellationToken).ConfigureAwait(false))
        {
            address = reservation.Address;
        }
        else
        {
            if (mine is not null && subnet.IsInPool(mine.Address))
            {
                if (mine.State is DhcpLeaseState.Offered or DhcpLeaseState.Bound)
                {
                    address = mine.Address;
                }
                else if (mine.State is DhcpLeaseState.Released or DhcpLeaseState.Expired
                    && await _pool.TryAllocateAsync(subnet, mine.Address, request.Key, cancellationToken).ConfigureAwait(false))
                {
                    address = mine.Address;
                }
            }

            if (address is null && request.RequestedAddress is { } wanted && subnet.IsInPool(wanted))
            {
                var holder = await _store.FindByAddressAsync(wanted, cancellationToken).ConfigureAwait(false);
                if ((holder is null || holder.Client == request.Key || holder.State is DhcpLeaseState.Released or DhcpLeaseState.Expired)
                    && await _pool.TryAllocateAsync(subnet, wanted, request.Key, cancellationToken).ConfigureAwait(false))
                {
                    address = wanted;
                }
            }

            address ??= await _pool.AllocateAsync(subnet, request.Key, cancellationToken).ConfigureAwait(false);
            if (address is null)
            {
                DhcpLog.Exhausted(_logger, subnet.Prefix, request.Key);
                return Decision.Dropped(DhcpDropReason.PoolExhausted);
            }
        }

        await ForgetPreviousAsync(mine, address.Value, subnet, cancellationToken).ConfigureAwait(false);
        var lease = mine is { State: DhcpLeaseState.Bound } && mine.Address == address && mine.ExpiresAt > now
            ? mine
            : new DhcpLease(address.Value, subnet.Prefix, request.Key, request.Mac, DhcpLeaseState.Offered, now + _offerHold, request.HostName);
        await _store.SaveAsync(lease, cancellationToken).ConfigureAwait(false);
        _metrics.Lease("offered");
        return Decision.Offer(address.Value, reservation?.Address == address ? reservation : null);
    }

    // RFC 2131 section 4.3.2: SELECTING (server id), INIT-REBOOT (requested address, no ciaddr), RENEWING/REBINDING (ciaddr).
    private async ValueTask<Decision> RequestAsync(DhcpRequest request, DhcpSubnet subnet, Ipv4Address serverId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.ServerIdentifier is { } chosen)
        {
            if (chosen != serverId)
            {
                await WithdrawOfferAsync(request, subnet, cancellationToken).ConfigureAwait(false);
                return Decision.Dropped(DhcpDropReason.OtherServerSelected);
            }

            var address = request.RequestedAddress ?? request.ClientAddress;
            return address == Ipv4Address.Any
                ? Decision.Dropped(DhcpDropReason.MissingOption)
                : await BindAsync(request, subnet, address, initReboot: false, now, cancellationToken).ConfigureAwait(false);
        }

        if (request.ClientAddress != Ipv4Address.Any)
        {
            return await BindAsync(request, subnet, request.ClientAddress, initReboot: false, now, cancellationToken).ConfigureAwait(false);
        }

        return request.RequestedAddress is { } requested
            ? await BindAsync(request, subnet, requested, initReboot: true, now, cancellationToken).ConfigureAwait(false)
            : Decision.Dropped(DhcpDropReason.MissingOption);
    }

    private async ValueTask<Decision> BindAsync(
        DhcpRequest request, DhcpSubnet subnet, Ipv4Address address, bool initReboot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!subnet.Prefix.Contains(address))
        {
            return Nak(request, address, $"{address} is not on network {subnet.Prefix}");
        }

        var mine = await _store.FindByClientAsync(subnet.Prefix, request.Key, cancellationToken).ConfigureAwait(false);
        var reservation = subnet.FindReservation(request.Mac, request.ClientIdentifier);
        var reservedFor = subnet.FindReservation(address);
        if (initReboot && mine is null && reservation is null)
        {
            // "If the DHCP server has no record of this client, then it MUST remain silent."
            return Decision.Dropped(DhcpDropReason.UnknownClient);
        }

        if (reservedFor is not null && !ReferenceEquals(reservedFor, reservation))
        {
            return Nak(request, address, $"{address} is reserved for another client");
        }

        if (reservation is not null && reservation.Address != address
            && !await IsOnProbationAsync(reservation.Address, now, cancellationToken).ConfigureAwait(false))
        {
            // Moves a client to its reservation: it stops using this address on the NAK and rediscovers.
            await GiveUpAsync(mine, subnet, now, cancellationToken).ConfigureAwait(false);
            return Nak(request, address, $"the client's address is reserved: {reservation.Address}");
        }

        // A store keeps one record per address: when the client's own record is at this address, it is the holder.
        var holder = mine is not null && mine.Address == address
            ? mine
            : await _store.FindByAddressAsync(address, cancellationToken).ConfigureAwait(false);
        if (holder is not null && holder.Client != request.Key && holder.IsActiveAt(now))
        {
            return Nak(request, address, $"{address} is in use");
        }

        bool held = reservedFor is not null
            || (holder is not null && holder.Client == request.Key && holder.State is DhcpLeaseState.Offered or DhcpLeaseState.Bound);
        if (!held)
        {
            if (initReboot && mine is not null && mine.Address != address)
            {
                return Nak(request, address, $"the client's address is {mine.Address}");
            }

            if (!await _pool.TryAllocateAsync(subnet, address, request.Key, cancellationToken).ConfigureAwait(false))
            {
                return Nak(request, address, $"{address} is not available");
            }
        }

        await ForgetPreviousAsync(mine, address, subnet, cancellationToken).ConfigureAwait(false);
        var lease = new DhcpLease(address, subnet.Prefix, request.Key, request.Mac, DhcpLeaseState.Bound, now + subnet.LeaseTime,
            request.HostName ?? holder?.HostName);
        await _store.SaveAsync(lease, cancellationToken).ConfigureAwait(false);
        _metrics.Lease("acked");
        PublishLease(DhcpLeaseEventKind.Bound, lease);
        DhcpLog.Leased(_logger, DhcpMessageType.Ack, address, request.Key, request.Mac, subnet.Prefix, (long)subnet.LeaseTime.TotalSeconds, lease.HostName);
        return Decision.Ack(address, reservedFor);
    }

    // RFC 2131 section 4.3.3: the address is in use elsewhere; keep it out of the pool for the probation.
    private async ValueTask<Decision> DeclineAsync(DhcpRequest request, DhcpSubnet subnet, Ipv4Address serverId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.ServerIdentifier is { } chosen && chosen != serverId)
        {
            return Decision.Dropped(DhcpDropReason.OtherServerSelected);
        }

        if (request.RequestedAddress is not { } address)
        {
            return Decision.Dropped(DhcpDropReason.MissingOption);
        }

        var holder = await _store.FindByAddressAsync(address, cancellationToken).ConfigureAwait(false);
        if (holder is null || holder.Client != request.Key)
        {
            return Decision.None;
        }

        var until = now + _probation;
        if (subnet.IsInPool(address))
        {
            await _pool.MarkDeclinedAsync(subnet, address, until, cancellationToken).ConfigureAwait(false);
        }

        var declined = holder with { Client = DhcpClientKey.ForDeclined(address), State = DhcpLeaseState.Declined, ExpiresAt = until };
        await _store.SaveAsync(declined, cancellationToken).ConfigureAwait(false);
        _metrics.Lease("declined");
        PublishLease(DhcpLeaseEventKind.Declined, declined);
        DhcpLog.Declined(_logger, address, request.Key, until);
        return Decision.None;
    }

    // RFC 2131 section 4.3.4: the address is free again; the binding is remembered for the same client.
    private async ValueTask<Decision> ReleaseAsync(DhcpRequest request, DhcpSubnet subnet, Ipv4Address serverId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.ServerIdentifier is { } chosen && chosen != serverId)
        {
            return Decision.Dropped(DhcpDropReason.OtherServerSelected);
        }

        var holder = await _store.FindByAddressAsync(request.ClientAddress, cancellationToken).ConfigureAwait(false);
        if (holder is null || holder.Client != request.Key || holder.State is not (DhcpLeaseState.Offered or DhcpLeaseState.Bound))
        {
            return Decision.None;
        }

        if (subnet.IsInPool(holder.Address))
        {
            await _pool.ReleaseAsync(subnet, holder.Address, cancellationToken).ConfigureAwait(false);
        }

        var released = holder with { State = DhcpLeaseState.Released, ExpiresAt = now };
        await _store.SaveAsync(released, cancellationToken).ConfigureAwait(false);
        _metrics.Lease("released");
        PublishLease(DhcpLeaseEventKind.Released, released);
        DhcpLog.Released(_logger, holder.Address, request.Key);
        return Decision.None;
    }

    private async ValueTask GiveUpAsync(DhcpLease? lease, DhcpSubnet subnet, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (lease is { State: DhcpLeaseState.Offered or DhcpLeaseState.Bound })
        {
            if (subnet.IsInPool(lease.Address))
            {
                await _pool.ReleaseAsync(subnet, lease.Address, cancellationToken).ConfigureAwait(false);
            }

            await _store.SaveAsync(lease with { State = DhcpLeaseState.Released, ExpiresAt = now }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask WithdrawOfferAsync(DhcpRequest request, DhcpSubnet subnet, CancellationToken cancellationToken)
    {
        var mine = await _store.FindByClientAsync(subnet.Prefix, request.Key, cancellationToken).ConfigureAwait(false);
        if (mine is { State: DhcpLeaseState.Offered })
        {
            await _store.RemoveAsync(mine.Address, cancellationToken).ConfigureAwait(false);
            if (subnet.IsInPool(mine.Address))
            {
                await _pool.ReleaseAsync(subnet, mine.Address, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // A client moving to another address gives back the one it held (the store drops the old record on save).
    private async ValueTask ForgetPreviousAsync(DhcpLease? previous, Ipv4Address address, DhcpSubnet subnet, CancellationToken cancellationToken)
    {
        if (previous is not null && previous.Address != address
            && previous.State is DhcpLeaseState.Offered or DhcpLeaseState.Bound && subnet.IsInPool(previous.Address))
        {
            await _pool.ReleaseAsync(subnet, previous.Address, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> IsOnProbationAsync(Ipv4Address address, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await _store.FindByAddressAsync(address, cancellationToken).ConfigureAwait(false);
        return record is { State: DhcpLeaseState.Declined } && record.ExpiresAt > now;
    }

    private Decision Nak(DhcpRequest request, Ipv4Address address, string why)
    {
        _metrics.Lease("naked");
        DhcpLog.Nak(_logger, request.Key, request.Mac, address, why);
        return Decision.Negative(why);
    }

    // RFC 2131 section 4.1: relay first; NAKs broadcast; then ciaddr; otherwise broadcast, since a UDP
    // socket cannot unicast to a client that has no address yet (no ARP entry for yiaddr).
    private (Ipv4Address, int) Destination(DhcpRequest request, DhcpMessageType reply)
    {
        if (request.GatewayAddress != Ipv4Address.Any)
        {
            return (request.GatewayAddress, _serverPort);
        }

        if (reply != DhcpMessageType.Nak && request.ClientAddress != Ipv4Address.Any)
        {
            return (request.ClientAddress, _clientPort);
        }

        return (Ipv4Address.Broadcast, _clientPort);
    }

    private static int WriteReply(Span<byte> buffer, DhcpRequest request, DhcpSubnet subnet, Ipv4Address serverId, in Decision decision)
    {
        var writer = new DhcpMessageWriter(buffer)
        {
            OpCode = DhcpOpCode.BootReply,
            TransactionId = request.TransactionId,
            GatewayAddress = request.GatewayAddress,
        };
        Span<byte> chaddr = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(chaddr, request.ClientHardwareAddress);
        writer.SetClientHardwareAddress(chaddr);
        writer.HardwareType = request.HardwareType;
        writer.HardwareAddressLength = request.HardwareAddressLength;
        bool nak = decision.Reply == DhcpMessageType.Nak;
        // A relay must broadcast a NAK to the client (RFC 2131 section 4.3.2).
        writer.Flags = nak && request.GatewayAddress != Ipv4Address.Any ? (ushort)(request.Flags | DhcpConstants.BroadcastFlag) : request.Flags;
        if (!nak)
        {
            writer.ClientAddress = decision.Reply == DhcpMessageType.Ack ? request.ClientAddress : Ipv4Address.Any;
            writer.YourAddress = decision.YourAddress;
        }

        writer.WriteMessageType(decision.Reply);
        writer.WriteAddressOption(DhcpOptionCode.ServerIdentifier, serverId);
        if (nak)
        {
            writer.WriteTextOption(DhcpOptionCode.Message, decision.Message);
        }
        else
        {
            if (!decision.IsInform)
            {
                writer.WriteUInt32Option(DhcpOptionCode.LeaseTime, Seconds(subnet.LeaseTime));
                writer.WriteUInt32Option(DhcpOptionCode.RenewalTime, Seconds(subnet.RenewalTime));
                writer.WriteUInt32Option(DhcpOptionCode.RebindingTime, Seconds(subnet.RebindingTime));
            }

            foreach (var (code, value) in subnet.OptionValues)
            {
                if (!request.HasParameterRequestList || request.IsRequested(code) || code is DhcpOptionCode.SubnetMask or DhcpOptionCode.Router)
                {
                    writer.WriteOption(code, value);
                }
            }

            if (decision.Reservation?.HostName is { } hostName
                && (!request.HasParameterRequestList || request.IsRequested(DhcpOptionCode.HostName)))
            {
                writer.WriteTextOption(DhcpOptionCode.HostName, hostName);
            }
        }

        // RFC 3046: the relay agent information comes back to the relay unchanged.
        if (request.RelayAgentInformation is { } relay && request.GatewayAddress != Ipv4Address.Any)
        {
            writer.WriteOption(DhcpOptionCode.RelayAgentInformation, relay);
        }

        return writer.Complete();
    }

    private static uint Seconds(TimeSpan time) => (uint)Math.Min(uint.MaxValue - 1, time.TotalSeconds);

    private readonly record struct Decision(DhcpMessageType Reply, Ipv4Address YourAddress, DhcpReservation? Reservation, string Message, DhcpDropReason Drop, bool IsInform)
    {
        public static Decision None => default;

        public static Decision Dropped(DhcpDropReason reason) => new(DhcpMessageType.None, default, null, string.Empty, reason, false);

        public static Decision Offer(Ipv4Address address, DhcpReservation? reservation) => new(DhcpMessageType.Offer, address, reservation, string.Empty, DhcpDropReason.None, false);

        public static Decision Ack(Ipv4Address address, DhcpReservation? reservation) => new(DhcpMessageType.Ack, address, reservation, string.Empty, DhcpDropReason.None, false);

        public static Decision Inform() => new(DhcpMessageType.Ack, Ipv4Address.Any, null, string.Empty, DhcpDropReason.None, true);

        public static Decision Negative(string message) => new(DhcpMessageType.Nak, Ipv4Address.Any, null, message, DhcpDropReason.None, false);
    }
}
