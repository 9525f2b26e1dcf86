using Microsoft.Extensions.Logging;

namespace CloudTemple.Networking.Routing;

// Refused changes are API errors the caller sees as exceptions; the log keeps a trace of them for the operator.
internal static partial class RoutingLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Refused route {Route} in table {Table}: {Reason}")]
    public static partial void RouteRejected(ILogger logger, Route route, string table, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Route table {Table} of VPC {Vpc} created")]
    public static partial void TableCreated(ILogger logger, string table, string vpc);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Route table {Table} of VPC {Vpc} removed; its change feed is completed")]
    public static partial void TableRemoved(ILogger logger, string table, string vpc);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "VRF of VPC {Vpc} removed with {Tables} route tables")]
    public static partial void VrfRemoved(ILogger logger, string vpc, int tables);
}
