using System.Buffers.Binary;
using CloudTemple.Networking.Checksums;
using CloudTemple.Networking.Packets;

namespace CloudTemple.Networking.Rewrites;

/// <summary>
/// A NAT rewrite of one endpoint (address and TCP/UDP port) of a flow, with its checksum deltas computed once:
/// <see cref="TryApply"/> then rewrites each packet of the flow with one add-and-fold per checksum (RFC 1624),
/// whatever the packet's length.
/// </summary>
/// <remarks>
/// The IPv4 header checksum gets <see cref="HeaderDelta"/> (the address); the TCP or UDP checksum gets
/// <see cref="TransportDelta"/> (the address in its pseudo-header and the port), with UDP's rules (0 stays 0, a
/// result of 0 is stored as 0xFFFF). One value serves both TCP and UDP. An immutable value, safe to share between
/// threads (the packets it rewrites are not).
/// </remarks>
public readonly record struct EndpointRewrite
{
    private EndpointRewrite(EndpointSide side, Ipv4Address oldAddress, ushort oldPort, Ipv4Address newAddress, ushort newPort)
    {
        Side = side;
        OldAddress = oldAddress;
        OldPort = oldPort;
        NewAddress = newAddress;
        NewPort = newPort;
        HeaderDelta = ChecksumDelta.Between(oldAddress, newAddress);
        TransportDelta = HeaderDelta + ChecksumDelta.Between(oldPort, newPort);
    }

    /// <summary>The endpoint rewritten.</summary>
    public EndpointSide Side { get; }

    /// <summary>The address that packets of the flow carry before the rewrite.</summary>
    public Ipv4Address OldAddress { get; }

    /// <summary>The port that packets of the flow carry before the rewrite.</summary>
    public ushort OldPort { get; }

    /// <summary>The address written.</summary>
    public Ipv4Address NewAddress { get; }

    /// <summary>The port written.</summary>
    public ushort NewPort { get; }

    /// <summary>The change of the IPv4 header checksum (the address).</summary>
    public ChecksumDelta HeaderDelta { get; }

    /// <summary>The change of the TCP or UDP checksum (the address in the pseudo-header, and the port).</summary>
    public ChecksumDelta TransportDelta { get; }

    /// <summary>A rewrite of the source endpoint (source NAT: a private endpoint to a public one).</summary>
    /// <param name="oldAddress">The source address before.</param>
    /// <param name="oldPort">The source port before.</param>
    /// <param name="newAddress">The source address after.</param>
    /// <param name="newPort">The source port after.</param>
    /// <returns>The rewrite.</returns>
    public static EndpointRewrite Source(Ipv4Address oldAddress, ushort oldPort, Ipv4Address newAddress, ushort newPort) =>
        new(EndpointSide.Source, oldAddress, oldPort, newAddress, newPort);

    /// <summary>A rewrite of the destination endpoint (destination NAT: a public endpoint to a private one).</summary>
    /// <param name="oldAddress">The destination address before.</param>
    /// <param name="oldPort">The destination port before.</param>
    /// <param name="newAddress">The destination address after.</param>
    /// <param name="newPort">The destination port after.</param>
    /// <returns>The rewrite.</returns>
    public static EndpointRewrite Destination(Ipv4Address oldAddress, ushort oldPort, Ipv4Address newAddress, ushort newPort) =>
        new(EndpointSide.Destination, oldAddress, oldPort, newAddress, newPort);

    /// <summary>
    /// The rewrite that the replies of the flow need: the other endpoint, from the new address and port back to the old
    /// (a source NAT's replies get their destination translated back).
    /// </summary>
    /// <returns>The reply direction's rewrite.</returns>
    public EndpointRewrite ForReply() =>
        new(Side == EndpointSide.Source ? EndpointSide.Destination : EndpointSide.Source, NewAddress, NewPort, OldAddress, OldPort);

    /// <summary>Rewrites a packet of the flow, keeping the IPv4 header checksum and the TCP or UDP checksum right.</summary>
    /// <param name="packet">An IPv4 packet.</param>
    /// <returns>
    /// Whether the packet was rewritten; <see langword="false"/>, with the packet unchanged, when it does not carry
    /// <see cref="OldAddress"/> and <see cref="OldPort"/> on <see cref="Side"/> (the deltas would be wrong for it) or carries
    /// no port: not TCP or UDP, a fragment other than the first, or a payload too short to hold the checksum field.
    /// </returns>
    public bool TryApply(Ipv4Packet packet)
    {
        int checksumOffset = packet.TransportChecksumOffset;
        if (checksumOffset < 0)
        {
            return false;
        }

        var bytes = packet.Buffer;
        (int addressOffset, int portOffset) = Side == EndpointSide.Source ? (Ipv4Packet.SourceOffset, 0) : (Ipv4Packet.DestinationOffset, 2);
        if (Ipv4Address.Read(bytes[addressOffset..]) != OldAddress
            || BinaryPrimitives.ReadUInt16BigEndian(bytes[(packet.HeaderLength + portOffset)..]) != OldPort)
        {
            return false;
        }

        packet.RewriteEndpoint(addressOffset, portOffset, NewAddress, NewPort, HeaderDelta, TransportDelta, checksumOffset);
        return true;
    }
}
