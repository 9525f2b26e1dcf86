namespace CloudTemple.Networking.Routing;

/// <summary>
/// A route's next hop is not inside any connected route of its table: either the route was being
/// added, or removing <see cref="ConnectedRoute"/> would leave it unreachable.
/// </summary>
public sealed class NextHopUnreachableException : NetworkingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="route">The route whose next hop is unreachable.</param>
    /// <param name="nextHop">The unreachable next hop.</param>
    /// <param name="tableName">The table's name.</param>
    /// <param name="connectedRoute">The connected route whose removal was refused, or <see langword="null"/> when adding.</param>
    public NextHopUnreachableException(Route route, Ipv4Address nextHop, string tableName, Route? connectedRoute = null)
        : base(connectedRoute is null
            ? $"Next hop {nextHop} of route '{route}' is not inside any connected route of table '{tableName}'."
            : $"Removing '{connectedRoute}' from table '{tableName}' would leave next hop {nextHop} of route '{route}' unreachable.")
    {
        Route = route;
        NextHop = nextHop;
        TableName = tableName;
        ConnectedRoute = connectedRoute;
    }

    /// <summary>The route whose next hop is unreachable.</summary>
    public Route Route { get; }

    /// <summary>The unreachable next hop.</summary>
    public Ipv4Address NextHop { get; }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <summary>The connected route whose removal was refused, or <see langword="null"/> when a route was being added.</summary>
    public Route? ConnectedRoute { get; }
}
