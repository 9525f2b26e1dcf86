using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CloudTemple.Networking.Checksums;

/// <summary>
/// The Internet checksum of RFC 1071 (IPv4, TCP, UDP, ICMP), computed with SIMD where the CPU has it,
/// and its incremental update of RFC 1624 for rewriting a field without summing the packet again.
/// </summary>
/// <remarks>
/// Every 16-bit value here is a number as read in network byte order: a checksum field read with
/// <see cref="BinaryPrimitives.ReadUInt16BigEndian(ReadOnlySpan{byte})"/> compares directly with
/// <see cref="Compute(ReadOnlySpan{byte})"/>. A <em>sum</em> is the folded one's complement sum, not
/// yet complemented; a <em>checksum</em> is its complement. All members are pure and thread-safe.
/// </remarks>
public static class InternetChecksum
{
    /// <summary>
    /// The one's complement sum of <paramref name="data"/> taken as big-endian 16-bit words (an odd last byte
    /// is padded with zero), added to <paramref name="initial"/>, folded to 16 bits and not complemented.
    /// </summary>
    /// <param name="data">The bytes to sum. When summing a message in pieces, every piece but the last must have an even length.</param>
    /// <param name="initial">A sum to continue from, such as a pseudo-header sum.</param>
    /// <returns>The folded sum.</returns>
    public static ushort Sum(ReadOnlySpan<byte> data, ushort initial = 0)
    {
        // The one's complement sum does not depend on byte order (RFC 1071 section 2(B)): sum native
        // words as wide as the hardware allows, fold, and swap once at the end.
        ushort folded = Fold(SumNative(data));
        if (BitConverter.IsLittleEndian)
        {
            folded = BinaryPrimitives.ReverseEndianness(folded);
        }

        return Add(folded, initial);
    }

    /// <summary>The checksum of <paramref name="data"/>: the complement of <see cref="Sum"/>. Over data that holds a correct checksum, it is 0.</summary>
    /// <param name="data">The bytes, with the checksum field zeroed when computing a new checksum.</param>
    /// <returns>The checksum to store.</returns>
    public static ushort Compute(ReadOnlySpan<byte> data) => (ushort)~Sum(data);

    /// <summary>The one's complement addition of two 16-bit sums.</summary>
    /// <param name="left">A sum.</param>
    /// <param name="right">A sum.</param>
    /// <returns>Their folded one's complement sum.</returns>
    public static ushort Add(ushort left, ushort right)
    {
        uint sum = (uint)left + right;
        return (ushort)((sum & 0xFFFF) + (sum >> 16));
    }

    /// <summary>The sum of the IPv4 pseudo-header that TCP and UDP checksums cover (RFC 793, RFC 768).</summary>
    /// <param name="source">The IPv4 source address.</param>
    /// <param name="destination">The IPv4 destination address.</param>
    /// <param name="protocol">The IP protocol number (6 TCP, 17 UDP).</param>
    /// <param name="length">The length of the TCP or UDP header and data.</param>
    /// <returns>The folded sum, not complemented.</returns>
    public static ushort PseudoHeaderSum(Ipv4Address source, Ipv4Address destination, byte protocol, ushort length)
    {
        ulong sum = (source.Value >> 16) + (source.Value & 0xFFFF)
            + (destination.Value >> 16) + (destination.Value & 0xFFFF)
            + protocol + (ulong)length;
        return Fold(sum);
    }

    /// <summary>The TCP or UDP checksum of a segment over IPv4, pseudo-header included.</summary>
    /// <param name="source">The IPv4 source address.</param>
    /// <param name="destination">The IPv4 destination address.</param>
    /// <param name="protocol">The IP protocol number (6 TCP, 17 UDP).</param>
    /// <param name="segment">The TCP or UDP header and data, checksum field zeroed.</param>
    /// <returns>The checksum to store. (For UDP, store <c>0xFFFF</c> when this is 0: RFC 768 reserves 0 for "no checksum".)</returns>
    public static ushort ComputeWithPseudoHeader(Ipv4Address source, Ipv4Address destination, byte protocol, ReadOnlySpan<byte> segment)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segment.Length, ushort.MaxValue, nameof(segment));
        return (ushort)~Sum(segment, PseudoHeaderSum(source, destination, protocol, (ushort)segment.Length));
    }

    /// <summary>
    /// Updates a checksum after a 16-bit field of the covered data changed from <paramref name="oldValue"/> to
    /// <paramref name="newValue"/>, by RFC 1624 equation 3: HC' = ~(~HC + ~m + m').
    /// </summary>
    /// <param name="checksum">The checksum before the change.</param>
    /// <param name="oldValue">The field before the change.</param>
    /// <param name="newValue">The field after the change.</param>
    /// <returns>The checksum after the change.</returns>
    public static ushort Update(ushort checksum, ushort oldValue, ushort newValue) =>
        (ushort)~Add(Add((ushort)~checksum, (ushort)~oldValue), newValue);

    /// <summary>Updates a checksum after a 32-bit field (an IPv4 address, a sequence number) changed; see <see cref="Update(ushort, ushort, ushort)"/>.</summary>
    /// <param name="checksum">The checksum before the change.</param>
    /// <param name="oldValue">The field before the change.</param>
    /// <param name="newValue">The field after the change.</param>
    /// <returns>The checksum after the change.</returns>
    public static ushort Update(ushort checksum, uint oldValue, uint newValue) =>
        Update(Update(checksum, (ushort)(oldValue >> 16), (ushort)(newValue >> 16)), (ushort)oldValue, (ushort)newValue);

    /// <summary>Updates a checksum after an IPv4 address it covers changed (NAT rewrites); see <see cref="Update(ushort, ushort, ushort)"/>.</summary>
    /// <param name="checksum">The checksum before the change.</param>
    /// <param name="oldAddress">The address before the change.</param>
    /// <param name="newAddress">The address after the change.</param>
    /// <returns>The checksum after the change.</returns>
    public static ushort Update(ushort checksum, Ipv4Address oldAddress, Ipv4Address newAddress) =>
        Update(checksum, oldAddress.Value, newAddress.Value);

    private static ushort Fold(ulong sum)
    {
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    // Sums the data as native-endian 32-bit words into 64-bit lanes (no carry is ever lost), then the tail.
    private static ulong SumNative(ReadOnlySpan<byte> data)
    {
        ulong sum = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && data.Length >= 2 * Vector256<byte>.Count)
        {
            var acc0 = Vector256<ulong>.Zero;
            var acc1 = Vector256<ulong>.Zero;
            for (; i <= data.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(data.Slice(i, Vector256<byte>.Count)).AsUInt32());
                acc0 += lower;
                acc1 += upper;
            }

            sum = Vector256.Sum(acc0 + acc1);
        }
        else if (Vector128.IsHardwareAccelerated && data.Length >= 2 * Vector128<byte>.Count)
        {
            var acc0 = Vector128<ulong>.Zero;
            var acc1 = Vector128<ulong>.Zero;
            for (; i <= data.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                var (lower, upper) = Vector128.Widen(Vector128.Create(data.Slice(i, Vector128<byte>.Count)).AsUInt32());
                acc0 += lower;
                acc1 += upper;
            }

            sum = Vector128.Sum(acc0 + acc1);
        }

        var words = MemoryMarshal.Cast<byte, uint>(data[i..]);
        foreach (uint word in words)
        {
            sum += word;
        }

        i += words.Length * sizeof(uint);
        if (data.Length - i >= 2)
        {
            sum += MemoryMarshal.Read<ushort>(data[i..]);
            i += 2;
        }

        if (i < data.Length)
        {
            // A lone last byte is the high byte of a zero-padded big-endian word.
            sum += BitConverter.IsLittleEndian ? data[i] : (ulong)data[i] << 8;
        }

        return sum;
    }
}
