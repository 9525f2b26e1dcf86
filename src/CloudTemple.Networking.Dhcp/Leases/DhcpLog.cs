using CloudTemple.Networking.Dhcp.Protocol;
using Microsoft.Extensions.Logging;

namespace CloudTemple.Networking.Dhcp;

// One line per lease event; drops at debug level (a busy network drops a lot of other servers' traffic).
internal static partial class DhcpLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Reply} {Address} to {Client} ({Mac}) on {Subnet}, lease {LeaseSeconds} s, host '{HostName}'")]
    public static partial void Leased(ILogger logger, DhcpMessageType reply, Ipv4Address address, DhcpClientKey client, MacAddress? mac, Ipv4Prefix subnet, long leaseSeconds, string? hostName);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "NAK to {Client} ({Mac}) for {Address}: {Why}")]
    public static partial void Nak(ILogger logger, DhcpClientKey client, MacAddress? mac, Ipv4Address address, string why);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "DECLINE of {Address} by {Client}: address on probation until {Until}")]
    public static partial void Declined(ILogger logger, Ipv4Address address, DhcpClientKey client, DateTimeOffset until);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "RELEASE of {Address} by {Client}")]
    public static partial void Released(ILogger logger, Ipv4Address address, DhcpClientKey client);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "{State} lease of {Address} ({Client}) reclaimed")]
    public static partial void Reclaimed(ILogger logger, DhcpLeaseState state, Ipv4Address address, DhcpClientKey client);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Dropped a {Type} message: {Reason}")]
    public static partial void Dropped(ILogger logger, DhcpMessageType type, DhcpDropReason reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Subnet {Subnet} has no free address left for {Client}")]
    public static partial void Exhausted(ILogger logger, Ipv4Prefix subnet, DhcpClientKey client);
}
