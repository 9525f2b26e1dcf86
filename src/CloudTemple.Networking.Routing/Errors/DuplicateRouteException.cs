namespace CloudTemple.Networking.Routing;

/// <summary>A route equal to one already in the table (same prefix, kind, metric and next hops or network) was added.</summary>
public sealed class DuplicateRouteException : NetworkingException
{
    /// <summary>Creates the exception for <paramref name="route"/>, which duplicates <paramref name="existing"/>.</summary>
    /// <param name="route">The route being added.</param>
    /// <param name="existing">The route already in the table.</param>
    /// <param name="tableName">The table's name.</param>
    public DuplicateRouteException(Route route, Route existing, string tableName)
        : base($"Route '{route}' already exists in table '{tableName}' (as '{existing}').")
    {
        Route = route;
        Existing = existing;
        TableName = tableName;
    }

    /// <summary>The route being added.</summary>
    public Route Route { get; }

    /// <summary>The equal route already in the table.</summary>
    public Route Existing { get; }

    /// <summary>The table's name.</summary>
    public string TableName { get; }
}
