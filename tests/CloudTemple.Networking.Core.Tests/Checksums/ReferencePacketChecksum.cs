using System.Buffers.Binary;

namespace CloudTemple.Networking.Core.Tests.Checksums;

/// <summary>
/// The checksums an IPv4 packet should carry, recomputed in full from its bytes by the plain <see cref="ReferenceChecksum"/>
/// (explicit pseudo-header, checksum fields zeroed in a copy): what every rewrite's incremental update must equal.
/// </summary>
public static class ReferencePacketChecksum
{
    /// <summary>The IPv4 header checksum of a header (its own checksum field counted as zero).</summary>
    public static ushort Ipv4Header(ReadOnlySpan<byte> header)
    {
        var copy = header.ToArray();
        copy[10] = 0;
        copy[11] = 0;
        return ReferenceChecksum.Compute(copy);
    }

    /// <summary>
    /// The TCP or UDP checksum of a whole segment over the IPv4 pseudo-header (its checksum field counted as zero),
    /// with UDP's rule that a computed 0 is sent as 0xFFFF.
    /// </summary>
    public static ushort Transport(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, ReadOnlySpan<byte> segment)
    {
        int checksumOffset = protocol == 6 ? 16 : 6;
        var explicitForm = WithPseudoHeader(source, destination, protocol, segment);
        explicitForm[12 + checksumOffset] = 0;
        explicitForm[12 + checksumOffset + 1] = 0;
        ushort checksum = ReferenceChecksum.Compute(explicitForm);
        return protocol == 17 && checksum == 0 ? (ushort)0xFFFF : checksum;
    }

    /// <summary>The IPv4 pseudo-header (RFC 768, RFC 9293) written out, followed by the segment: what a TCP or UDP checksum covers.</summary>
    public static byte[] WithPseudoHeader(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, ReadOnlySpan<byte> segment)
    {
        var explicitForm = new byte[12 + segment.Length];
        source[..4].CopyTo(explicitForm);
        destination[..4].CopyTo(explicitForm.AsSpan(4));
        explicitForm[9] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(explicitForm.AsSpan(10), (ushort)segment.Length);
        segment.CopyTo(explicitForm.AsSpan(12));
        return explicitForm;
    }

    /// <summary><see cref="WithPseudoHeader(ReadOnlySpan{byte}, ReadOnlySpan{byte}, byte, ReadOnlySpan{byte})"/> from addresses.</summary>
    public static byte[] WithPseudoHeader(Ipv4Address source, Ipv4Address destination, byte protocol, ReadOnlySpan<byte> segment)
    {
        Span<byte> addresses = stackalloc byte[8];
        source.WriteTo(addresses);
        destination.WriteTo(addresses[4..]);
        return WithPseudoHeader(addresses[..4], addresses[4..], protocol, segment);
    }
}
