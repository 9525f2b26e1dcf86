using System.Diagnostics;
using System.Runtime.CompilerServices;
using CloudTemple.Networking.Changes;

namespace CloudTemple.Networking.Routing;

/// <summary>
/// A route table of a VPC: its routes (several per prefix, ordered by metric and kind) and the
/// compiled forwarding table that answers lookups.
/// </summary>
/// <remarks>
/// <para>
/// Lookups (<see cref="Lookup(Ipv4Address)"/>, <see cref="Lookup(in FlowKey)"/>) are lock-free,
/// allocation-free and safe from any number of threads while changes are made. Changes
/// (<see cref="Add"/>, <see cref="AddRange"/>, <see cref="Remove"/>) serialize on an internal lock;
/// each is validated completely before anything changes, so a refused change leaves the table
/// as it was.
/// </para>
/// <para>
/// Consistency: every lookup answers with the table as it was just before or just after each
/// concurrent single-route change, never a mix (see <see cref="ForwardingTable{TValue}"/>).
/// <see cref="AddRange"/> is validated as a whole, then applied as a sequence of single changes.
/// </para>
/// <para>
/// Changes are published on <see cref="Changes"/>, counted on the routing Meter and traced on its
/// ActivitySource (<see cref="RoutingTelemetry"/>).
/// </para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The feed holds no unmanaged resource; its VRF completes it when the table is removed.")]
public sealed class RouteTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Ipv4Prefix, Route[]> _routes = [];
    private readonly ForwardingTable<Route> _forwarding = new();
    private readonly ForwardingTable<Route> _connected = new();
    private readonly Dictionary<Ipv4Address, int> _nextHopUse = [];
    private readonly VpcRoutingOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly RoutingDiagnostics _diagnostics;
    private readonly ChangeFeed<RouteChange> _changes;
    private int _count;
    private long _reportedMemory;

    /// <summary>Creates an empty table.</summary>
    /// <param name="name">The table's name (unique in its VPC).</param>
    /// <param name="options">Options; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for change timestamps; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public RouteTable(string name, VpcRoutingOptions? options = null, TimeProvider? timeProvider = null)
        : this(name, options, timeProvider, RoutingDiagnostics.Default)
    {
    }

    internal RouteTable(string name, VpcRoutingOptions? options, TimeProvider? timeProvider, RoutingDiagnostics diagnostics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _options = options ?? new VpcRoutingOptions();
        if (_options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        Name = name;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _diagnostics = diagnostics;
        _changes = new ChangeFeed<RouteChange>(_options.ChangeFeedCapacity, diagnostics.ChangeDropped);
    }

    /// <summary>The table's name.</summary>
    public string Name { get; }

    /// <summary>The number of routes (all of them, not only the best per prefix).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The number of distinct prefixes (entries of the forwarding table).</summary>
    public int PrefixCount => _forwarding.Count;

    /// <summary>The memory of the compiled forwarding table, in bytes.</summary>
    public long ForwardingMemoryBytes => _forwarding.MemoryBytes;

    /// <summary>The forwarding table's memory per prefix, in bytes.</summary>
    public double ForwardingBytesPerPrefix => _forwarding.BytesPerPrefix;

    /// <summary>The number of the last change (0 before the first): the <see cref="ChangeFeedEntry{T}.Sequence"/> of its entry on <see cref="Changes"/>.</summary>
    public long Version => _changes.LastSequence;

    /// <summary>
    /// The table's change feed: every route added or removed, numbered by <see cref="Version"/>;
    /// subscribe with <see cref="IChangeFeed{T}.WatchAsync"/>. Completed when the table is removed
    /// from its VRF (or the VRF from <see cref="VpcRouting"/>).
    /// </summary>
    /// <remarks>
    /// Each subscriber has its own buffer of <see cref="VpcRoutingOptions.ChangeFeedCapacity"/>
    /// changes. When a subscriber falls behind, its oldest pending changes are dropped (writers are
    /// never blocked by a slow reader) and counted on <c>cloudtemple.routing.changes.dropped</c>; the
    /// subscriber sees the gap in <see cref="ChangeFeedEntry{T}.Sequence"/> and can resynchronize
    /// with <see cref="GetRoutes()"/>.
    /// </remarks>
    public IChangeFeed<RouteChange> Changes => _changes;

    /// <summary>A snapshot of all routes, by prefix then precedence (best first).</summary>
    /// <returns>The routes.</returns>
    public IReadOnlyList<Route> GetRoutes()
    {
        lock (_gate)
        {
            return [.. _routes.OrderBy(p => p.Key).SelectMany(p => p.Value)];
        }
    }

    /// <summary>The routes of exactly <paramref name="prefix"/>, best first (empty when none).</summary>
    /// <param name="prefix">The prefix.</param>
    /// <returns>The routes.</returns>
    public IReadOnlyList<Route> GetRoutes(Ipv4Prefix prefix)
    {
        lock (_gate)
        {
            return _routes.TryGetValue(prefix, out var routes) ? routes : [];
        }
    }

    /// <summary>The best route of the longest prefix containing <paramref name="destination"/>.</summary>
    /// <param name="destination">The destination.</param>
    /// <returns>The route, or <see langword="null"/> when none matches.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Route? Lookup(Ipv4Address destination) => _forwarding.Lookup(destination.Value);

    /// <summary>The route for a flow's destination and the next hop chosen for the flow (stable ECMP).</summary>
    /// <param name="flow">The flow.</param>
    /// <returns>The decision; <see cref="ForwardingDecision.IsMatch"/> is false when no route matches.</returns>
    public ForwardingDecision Lookup(in FlowKey flow)
    {
        var route = _forwarding.Lookup(flow.Destination.Value);
        return route?.Kind switch
        {
            null => default,
            RouteKind.Connected or RouteKind.NextHop => new(route, route.SelectNextHop(flow)),
            _ => new(route, Ipv4Address.Any),
        };
    }

    /// <summary>Adds a route.</summary>
    /// <param name="route">The route.</param>
    /// <exception cref="DuplicateRouteException">An equal route is in the table.</exception>
    /// <exception cref="NextHopUnreachableException">A next hop is not inside a connected route (when <see cref="VpcRoutingOptions.RequireReachableNextHops"/>).</exception>
    public void Add(Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        AddRange([route]);
    }

    /// <summary>
    /// Adds routes: all are validated (against the table and each other; connected routes of the
    /// batch make next hops reachable), then all are added; on error none is.
    /// </summary>
    /// <param name="routes">The routes.</param>
    /// <exception cref="DuplicateRouteException">A route equals one in the table or earlier in the batch.</exception>
    /// <exception cref="NextHopUnreachableException">A next hop is not inside a connected route.</exception>
    public void AddRange(IEnumerable<Route> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        Route[] batch = [.. routes];
        foreach (var route in batch)
        {
            ArgumentNullException.ThrowIfNull(route, nameof(routes));
        }

        using var activity = RoutingTelemetry.Source.StartActivity("routing.add_routes");
        activity?.SetTag("cloudtemple.routing.table", Name);
        activity?.SetTag("cloudtemple.routing.route_count", batch.Length);
        lock (_gate)
        {
            Validate(batch, activity);
            var changed = new Dictionary<Ipv4Prefix, Route>();
            var changes = new List<(Route Route, bool Active)>(batch.Length);
            foreach (var route in batch)
            {
                var existing = _routes.GetValueOrDefault(route.Prefix) ?? [];
                var updated = Insert(existing, route);
                _routes[route.Prefix] = updated;
                if (route.Kind == RouteKind.Connected && existing.All(r => r.Kind != RouteKind.Connected))
                {
                    _connected.Set(route.Prefix, route);
                }

                foreach (var hop in route.NextHops)
                {
                    _nextHopUse[hop] = _nextHopUse.GetValueOrDefault(hop) + 1;
                }

                if (updated[0] == route)
                {
                    changed[route.Prefix] = route;
                }

                changes.Add((route, updated[0] == route));
            }

            // A full table loads in one bottom-up pass; otherwise each prefix is updated in place.
            _forwarding.SetRange(changed);
            _count += batch.Length;
            _diagnostics.Routes.Add(batch.Length);
            foreach (var (route, active) in changes)
            {
                Publish(RouteChangeKind.Added, route, active);
            }

            ReportMemory();
        }
    }

    /// <summary>Removes a route; its prefix falls back to its next best route, or to a shorter prefix.</summary>
    /// <param name="route">The route (compared by value).</param>
    /// <returns>Whether the route was in the table.</returns>
    /// <exception cref="NextHopUnreachableException">The route is connected and a next hop of another route lies only inside it.</exception>
    public bool Remove(Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        using var activity = RoutingTelemetry.Source.StartActivity("routing.remove_route");
        activity?.SetTag("cloudtemple.routing.table", Name);
        activity?.SetTag("cloudtemple.routing.prefix", route.Prefix.ToString());
        lock (_gate)
        {
            if (!_routes.TryGetValue(route.Prefix, out var existing) || Array.IndexOf(existing, route) is var index && index < 0)
            {
                return false;
            }

            var stored = existing[index];
            if (stored.Kind == RouteKind.Connected && existing.Count(r => r.Kind == RouteKind.Connected) == 1)
            {
                EnsureNotNeeded(stored, activity);
                _connected.Remove(stored.Prefix);
            }

            Route[] remaining = [.. existing.Where((_, i) => i != index)];
            if (remaining.Length == 0)
            {
                _routes.Remove(route.Prefix);
                _forwarding.Remove(route.Prefix);
            }
            else
            {
                _routes[route.Prefix] = remaining;
                if (index == 0)
                {
                    _forwarding.Set(route.Prefix, remaining[0]);
                }
            }

            if (stored.Kind == RouteKind.Connected && _connected.TryGetValue(stored.Prefix, out var kept) && kept == stored)
            {
                _connected.Set(stored.Prefix, remaining.First(r => r.Kind == RouteKind.Connected));
            }

            foreach (var hop in stored.NextHops)
            {
                int uses = _nextHopUse[hop] - 1;
                if (uses == 0)
                {
                    _nextHopUse.Remove(hop);
                }
                else
                {
                    _nextHopUse[hop] = uses;
                }
            }

            _count--;
            _diagnostics.Routes.Add(-1);
            Publish(RouteChangeKind.Removed, stored, index == 0);
            ReportMemory();
            return true;
        }
    }

    /// <summary>Completes the change feed's subscriptions: the table left its VRF.</summary>
    internal void Close() => _changes.Dispose();

    private void Validate(Route[] batch, Activity? activity)
    {
        var seen = new HashSet<Route>();
        ForwardingTable<Route>? batchConnected = null;
        foreach (var route in batch)
        {
            var existing = _routes.GetValueOrDefault(route.Prefix)?.FirstOrDefault(r => r == route);
            if (existing is not null || !seen.Add(route))
            {
                Reject(route, "duplicate", activity);
                throw new DuplicateRouteException(route, existing ?? route, Name);
            }

            if (route.Kind == RouteKind.Connected)
            {
                (batchConnected ??= new()).Set(route.Prefix, route);
            }
        }

        if (!_options.RequireReachableNextHops)
        {
            return;
        }

        foreach (var route in batch)
        {
            foreach (var hop in route.NextHops)
            {
                if (_connected.Lookup(hop) is null && batchConnected?.Lookup(hop) is null)
                {
                    Reject(route, "next_hop_unreachable", activity);
                    throw new NextHopUnreachableException(route, hop, Name);
                }
            }
        }
    }

    /// <summary>Refuses to remove the last connected route of a prefix when a next hop is reachable only through it.</summary>
    private void EnsureNotNeeded(Route connected, Activity? activity)
    {
        if (!_options.RequireReachableNextHops)
        {
            return;
        }

        foreach (var hop in _nextHopUse.Keys)
        {
            if (!connected.Prefix.Contains(hop) || _connected.Lookup(hop) is { } inner && inner.Prefix != connected.Prefix)
            {
                continue; // outside, or inside a longer connected prefix that stays
            }

            bool covered = false;
            for (int length = connected.Prefix.Length - 1; length >= 0 && !covered; length--)
            {
                covered = _connected.TryGetValue(Ipv4Prefix.Containing(hop, length), out _);
            }

            if (!covered)
            {
                var dependent = _routes.Values.SelectMany(r => r).First(r => r.NextHops.Contains(hop));
                Reject(connected, "next_hop_unreachable", activity);
                throw new NextHopUnreachableException(dependent, hop, Name, connected);
            }
        }
    }

    private static Route[] Insert(Route[] existing, Route route)
    {
        int at = 0;
        while (at < existing.Length && RoutePrecedence.Instance.Compare(existing[at], route) < 0)
        {
            at++;
        }

        return [.. existing.AsSpan(0, at), route, .. existing.AsSpan(at)];
    }

    private void Reject(Route route, string reason, Activity? activity)
    {
        activity?.SetStatus(ActivityStatusCode.Error, reason);
        activity?.SetTag("error.type", reason);
        _diagnostics.Rejected(route, Name, reason);
    }

    private void Publish(RouteChangeKind kind, Route route, bool active)
    {
        _diagnostics.RoutesChanged.Add(1, new KeyValuePair<string, object?>("cloudtemple.routing.change_kind", kind == RouteChangeKind.Added ? "added" : "removed"));
        _changes.Publish(new RouteChange(kind, route, Name, _timeProvider.GetUtcNow(), active));
    }

    private void ReportMemory()
    {
        long memory = _forwarding.MemoryBytes;
        _diagnostics.ForwardingMemory.Add(memory - _reportedMemory);
        _reportedMemory = memory;
    }
}
