namespace CloudTemple.Networking.Routing;

/// <summary>What happened to a route.</summary>
public enum RouteChangeKind
{
    /// <summary>The route was added.</summary>
    Added = 0,

    /// <summary>The route was removed.</summary>
    Removed = 1,
}
