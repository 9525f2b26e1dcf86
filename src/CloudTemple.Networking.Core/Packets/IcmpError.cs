using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;

namespace CloudTemple.Networking.Packets;

/// <summary>
/// Writes the ICMP error messages a router sends (destination unreachable, fragmentation needed, time exceeded)
/// as whole IPv4 packets that quote the offending datagram as RFC 1812 section 4.3.2.3 asks, and tells when an
/// error must not be sent at all (RFC 1812 section 4.3.2.7). All members are pure and thread-safe.
/// </summary>
/// <remarks>
/// The IPv4 header of an error has the router's address as source, the offending datagram's source as destination,
/// a fresh TTL, precedence 6 (DSCP CS6, RFC 1812 section 4.3.2.5), DF clear, no options and a valid checksum. The
/// offending datagram is quoted as received, options included, as far as the error stays within a length limit
/// (<see cref="DefaultMaxLength"/>, 576 bytes). The writers refuse (return <see langword="false"/>) exactly when
/// <see cref="GetSuppression"/> does with the defaults: the facts only the caller knows (a link-layer broadcast, the
/// directed broadcast of the receiving subnet) are checked by calling <see cref="MayReplyTo"/> first.
/// </remarks>
public static class IcmpError
{
    /// <summary>The default limit on the length of an error packet, IPv4 header included (RFC 1812 section 4.3.2.3).</summary>
    public const int DefaultMaxLength = 576;

    /// <summary>The length of the headers an error puts before the quote: IPv4 (20, no options) and ICMP (8).</summary>
    public const int HeadersLength = Ipv4Packet.MinHeaderLength + IcmpMessage.HeaderLength;

    /// <summary>The precedence 6 (internetwork control) of RFC 1812 section 4.3.2.5, as a DSCP (CS6).</summary>
    private const byte InternetworkControlDscp = 48;

    /// <summary>Whether RFC 1812 section 4.3.2.7 allows an ICMP error about <paramref name="offending"/>.</summary>
    /// <param name="offending">The datagram that would cause the error.</param>
    /// <param name="linkLayerBroadcast">Whether it arrived in a link-layer broadcast or multicast frame.</param>
    /// <param name="subnetBroadcast">The directed broadcast address of the subnet it arrived on or is destined to, if any.</param>
    /// <returns><see langword="true"/> when an error may be sent.</returns>
    public static bool MayReplyTo(Ipv4Packet offending, bool linkLayerBroadcast = false, Ipv4Address subnetBroadcast = default) =>
        GetSuppression(offending, linkLayerBroadcast, subnetBroadcast) == IcmpErrorSuppression.None;

    /// <summary>
    /// Why RFC 1812 section 4.3.2.7 forbids an ICMP error about <paramref name="offending"/>, or
    /// <see cref="IcmpErrorSuppression.None"/>: never about an ICMP error, a non-first fragment, a datagram sent to a
    /// broadcast or multicast address or in a link-layer broadcast, or one whose source is not a single host.
    /// </summary>
    /// <param name="offending">The datagram that would cause the error.</param>
    /// <param name="linkLayerBroadcast">Whether it arrived in a link-layer broadcast or multicast frame.</param>
    /// <param name="subnetBroadcast">The directed broadcast address of the subnet it arrived on or is destined to, if any.</param>
    /// <returns>The first rule that forbids the error, for a counter, or <see cref="IcmpErrorSuppression.None"/>.</returns>
    public static IcmpErrorSuppression GetSuppression(Ipv4Packet offending, bool linkLayerBroadcast = false, Ipv4Address subnetBroadcast = default)
    {
        if (offending.FragmentOffset != 0)
        {
            return IcmpErrorSuppression.NonInitialFragment;
        }

        // A first fragment or whole datagram too short to hold an ICMP type cannot be shown not to be an error.
        if (offending.Protocol == IpProtocols.Icmp && (offending.Payload.IsEmpty || IcmpTypes.IsError(offending.Payload[0])))
        {
            return IcmpErrorSuppression.IcmpError;
        }

        var destination = offending.Destination;
        if (destination == Ipv4Address.Broadcast || IsMulticast(destination) || (subnetBroadcast != default && destination == subnetBroadcast))
        {
            return IcmpErrorSuppression.BroadcastOrMulticastDestination;
        }

        if (linkLayerBroadcast)
        {
            return IcmpErrorSuppression.LinkLayerBroadcast;
        }

        uint source = offending.Source.Value;
        uint firstOctet = source >> 24;
        // 0/8 "this network", 127/8 loopback, 224/4 multicast and 240/4 class E (with 255.255.255.255) name no single host.
        if (firstOctet == 0 || firstOctet == 127 || firstOctet >= 224 || (subnetBroadcast != default && source == subnetBroadcast.Value))
        {
            return IcmpErrorSuppression.SourceNotSingleHost;
        }

        return IcmpErrorSuppression.None;
    }

    /// <summary>The length of the error packet the writers produce about <paramref name="offending"/> within <paramref name="maxLength"/>.</summary>
    /// <param name="offending">The datagram the error is about.</param>
    /// <param name="maxLength">The limit on the error's length, IPv4 header included.</param>
    /// <returns>The length of the IPv4 packet holding the error.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> leaves no room for the offending header and 8 bytes, or exceeds 65,535.</exception>
    public static int GetLength(Ipv4Packet offending, int maxLength = DefaultMaxLength) => HeadersLength + QuoteLength(offending, maxLength);

    /// <summary>Writes a destination unreachable error (type 3) about <paramref name="offending"/>, as an IPv4 packet.</summary>
    /// <param name="destination">Where to write the IPv4 packet; at least <see cref="GetLength"/> bytes, not overlapping <paramref name="offending"/>.</param>
    /// <param name="offending">The datagram as received.</param>
    /// <param name="routerAddress">The source of the error: the address of the interface the router sends it from.</param>
    /// <param name="code">The code; <see cref="DestinationUnreachableCode.FragmentationNeeded"/> goes through <see cref="TryWriteFragmentationNeeded"/>.</param>
    /// <param name="bytesWritten">The length of the packet written, or 0.</param>
    /// <param name="maxLength">The limit on the error's length, IPv4 header included.</param>
    /// <param name="timeToLive">The TTL of the error.</param>
    /// <param name="identification">The IPv4 identification of the error.</param>
    /// <returns><see langword="false"/>, writing nothing, when <see cref="GetSuppression"/> forbids an error about <paramref name="offending"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short, <paramref name="code"/> is out of range or is fragmentation needed, or <paramref name="maxLength"/> is too small.</exception>
    public static bool TryWriteDestinationUnreachable(Span<byte> destination, Ipv4Packet offending, Ipv4Address routerAddress, DestinationUnreachableCode code,
        out int bytesWritten, int maxLength = DefaultMaxLength, byte timeToLive = 64, ushort identification = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((byte)code, (byte)DestinationUnreachableCode.PrecedenceCutoffInEffect, nameof(code));
        if (code == DestinationUnreachableCode.FragmentationNeeded)
        {
            throw new ArgumentException("Fragmentation needed carries the next-hop MTU: use TryWriteFragmentationNeeded.", nameof(code));
        }

        return TryWrite(destination, offending, routerAddress, IcmpTypes.DestinationUnreachable, (byte)code, 0, out bytesWritten, maxLength, timeToLive, identification);
    }

    /// <summary>
    /// Writes a "fragmentation needed and DF set" error (type 3, code 4) about <paramref name="offending"/> with the
    /// next-hop MTU in bytes 6-7 of the ICMP header (RFC 1191 section 4), as an IPv4 packet.
    /// </summary>
    /// <param name="destination">Where to write the IPv4 packet; at least <see cref="GetLength"/> bytes, not overlapping <paramref name="offending"/>.</param>
    /// <param name="offending">The datagram as received, with DF set and longer than <paramref name="nextHopMtu"/>.</param>
    /// <param name="routerAddress">The source of the error.</param>
    /// <param name="nextHopMtu">The MTU of the link the datagram could not cross (for a VXLAN overlay, the underlay MTU less 50).</param>
    /// <param name="bytesWritten">The length of the packet written, or 0.</param>
    /// <param name="maxLength">The limit on the error's length, IPv4 header included.</param>
    /// <param name="timeToLive">The TTL of the error.</param>
    /// <param name="identification">The IPv4 identification of the error.</param>
    /// <returns><see langword="false"/>, writing nothing, when <see cref="GetSuppression"/> forbids an error about <paramref name="offending"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or <paramref name="maxLength"/> is too small.</exception>
    public static bool TryWriteFragmentationNeeded(Span<byte> destination, Ipv4Packet offending, Ipv4Address routerAddress, ushort nextHopMtu,
        out int bytesWritten, int maxLength = DefaultMaxLength, byte timeToLive = 64, ushort identification = 0) =>
        TryWrite(destination, offending, routerAddress, IcmpTypes.DestinationUnreachable, (byte)DestinationUnreachableCode.FragmentationNeeded, nextHopMtu,
            out bytesWritten, maxLength, timeToLive, identification);

    /// <summary>Writes a time exceeded error (type 11) about <paramref name="offending"/>, as an IPv4 packet.</summary>
    /// <param name="destination">Where to write the IPv4 packet; at least <see cref="GetLength"/> bytes, not overlapping <paramref name="offending"/>.</param>
    /// <param name="offending">The datagram as received (for reassembly, fragment zero).</param>
    /// <param name="routerAddress">The source of the error.</param>
    /// <param name="code">TTL exceeded in transit, or reassembly time exceeded.</param>
    /// <param name="bytesWritten">The length of the packet written, or 0.</param>
    /// <param name="maxLength">The limit on the error's length, IPv4 header included.</param>
    /// <param name="timeToLive">The TTL of the error.</param>
    /// <param name="identification">The IPv4 identification of the error.</param>
    /// <returns><see langword="false"/>, writing nothing, when <see cref="GetSuppression"/> forbids an error about <paramref name="offending"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short, <paramref name="code"/> is out of range, or <paramref name="maxLength"/> is too small.</exception>
    public static bool TryWriteTimeExceeded(Span<byte> destination, Ipv4Packet offending, Ipv4Address routerAddress, TimeExceededCode code,
        out int bytesWritten, int maxLength = DefaultMaxLength, byte timeToLive = 64, ushort identification = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((byte)code, (byte)TimeExceededCode.FragmentReassemblyTimeExceeded, nameof(code));
        return TryWrite(destination, offending, routerAddress, IcmpTypes.TimeExceeded, (byte)code, 0, out bytesWritten, maxLength, timeToLive, identification);
    }

    private static bool IsMulticast(Ipv4Address address) => address.Value >> 28 == 0xE;

    private static int QuoteLength(Ipv4Packet offending, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, (int)ushort.MaxValue);
        int minimumQuote = Math.Min(offending.TotalLength, offending.HeaderLength + IcmpQuotedPacket.TransportHeaderLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, HeadersLength + minimumQuote);
        return Math.Min(offending.TotalLength, maxLength - HeadersLength);
    }

    private static bool TryWrite(Span<byte> destination, Ipv4Packet offending, Ipv4Address routerAddress, byte type, byte code, ushort nextHopMtu,
        out int bytesWritten, int maxLength, byte timeToLive, ushort identification)
    {
        int quoteLength = QuoteLength(offending, maxLength);
        bytesWritten = 0;
        if (GetSuppression(offending) != IcmpErrorSuppression.None)
        {
            return false;
        }

        int length = HeadersLength + quoteLength;
        Guard.Space(destination, length);
        Ipv4Packet.WriteHeader(destination, routerAddress, offending.Source, IpProtocols.Icmp, IcmpMessage.HeaderLength + quoteLength,
            timeToLive, identification, dontFragment: false, dscp: InternetworkControlDscp);
        var icmp = destination[Ipv4Packet.MinHeaderLength..length];
        IcmpMessage.WriteHeader(icmp, type, code, 0, nextHopMtu);
        offending.Buffer[..quoteLength].CopyTo(icmp[IcmpMessage.HeaderLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], InternetChecksum.Compute(icmp));
        bytesWritten = length;
        return true;
    }
}
