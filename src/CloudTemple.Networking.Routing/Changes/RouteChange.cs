namespace CloudTemple.Networking.Routing;

/// <summary>One change of a route table, as delivered by <see cref="RouteTable.Changes"/> (its entry's sequence number is the table's <see cref="RouteTable.Version"/> after the change).</summary>
/// <param name="Kind">Added or removed.</param>
/// <param name="Route">The route.</param>
/// <param name="TableName">The table's name.</param>
/// <param name="Timestamp">When the change was made (the table's <see cref="TimeProvider"/>).</param>
/// <param name="IsActive">Whether the route is (for <see cref="RouteChangeKind.Added"/>) or was (for <see cref="RouteChangeKind.Removed"/>) the best route of its prefix, the one in the forwarding table.</param>
public sealed record RouteChange(
    RouteChangeKind Kind,
    Route Route,
    string TableName,
    DateTimeOffset Timestamp,
    bool IsActive);
