using System.Buffers.Binary;
using CloudTemple.Networking.Core.Tests.Checksums;
using CloudTemple.Networking.Core.Tests.Packets;
using CloudTemple.Networking.Packets;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Rewrites;

[Properties(Arbitrary = [typeof(Generators)], MaxTest = 1000)]
public class TcpOptionProperties
{
    [Property]
    public void The_enumerator_yields_every_byte_of_a_well_formed_option_list_in_order(TcpPacket tcp)
    {
        var packet = tcp.Packet;
        Assert.True(TcpSegment.TryParse(packet.Bytes.AsSpan(packet.HeaderLength), out var segment, out _));
        var options = segment.EnumerateOptions();
        var seen = new List<byte>();
        int expectedOffset = TcpSegment.MinHeaderLength;
        while (options.MoveNext())
        {
            var option = options.Current;
            Assert.Equal(expectedOffset, option.Offset);
            seen.Add(option.Kind);
            if (option.Kind != TcpOptionKinds.NoOperation)
            {
                seen.Add((byte)option.Length);
                Assert.Equal(option.Length - 2, option.Data.Length);
            }

            seen.AddRange(option.Data.ToArray());
            expectedOffset += option.Length;
        }

        Assert.False(options.IsMalformed);
        // What follows the last option is End of Option List and zero padding.
        var rest = segment.Options[(expectedOffset - TcpSegment.MinHeaderLength)..].ToArray();
        Assert.All(rest, b => Assert.Equal(0, b));
        Assert.Equal(segment.Options[..(expectedOffset - TcpSegment.MinHeaderLength)].ToArray(), seen.ToArray());
    }

    [Property]
    public void The_enumerator_never_reads_past_the_header_whatever_the_options(byte[] options)
    {
        int length = Math.Min(40, options.Length) & ~3;
        var segment = new byte[20 + length];
        segment[12] = (byte)((20 + length) / 4 << 4);
        options.AsSpan(0, length).CopyTo(segment.AsSpan(20));
        Assert.True(TcpSegment.TryParse(segment, out var tcp, out _));

        var enumerator = tcp.EnumerateOptions();
        int next = 20;
        while (enumerator.MoveNext())
        {
            var option = enumerator.Current;
            Assert.Equal(next, option.Offset);
            Assert.InRange(option.Offset + option.Length, option.Offset + 1, segment.Length);
            next += option.Length;
        }

        // Malformed exactly when the walk stopped on an option whose length is missing, below 2 or too long.
        bool malformed = next < segment.Length && segment[next] > 1
            && (next + 1 >= segment.Length || segment[next + 1] < 2 || next + segment[next + 1] > segment.Length);
        Assert.Equal(malformed, enumerator.IsMalformed);
    }

    [Property]
    public void Clamping_changes_only_a_larger_mss_of_a_syn_and_keeps_the_checksum(TcpPacket tcp, ushort maximum)
    {
        var packet = tcp.Packet;
        var bytes = (byte[])packet.Bytes.Clone();
        Assert.True(Ipv4Packet.TryParse(bytes, out var ip, out _));
        Assert.True(TcpSegment.TryParse(ip.Payload, out var segment, out _));
        int mssAt = MssValueOffset(segment.Options);
        ushort before = mssAt < 0 ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(segment.Options[mssAt..]);
        bool syn = (segment.Flags & TcpFlags.Syn) != 0;

        bool clamped = segment.ClampMaximumSegmentSize(maximum);

        Assert.Equal(syn && mssAt >= 0 && before > maximum, clamped);
        var expected = (byte[])packet.Bytes.Clone();
        if (clamped)
        {
            BinaryPrimitives.WriteUInt16BigEndian(expected.AsSpan(packet.HeaderLength + 20 + mssAt), maximum);
            BinaryPrimitives.WriteUInt16BigEndian(expected.AsSpan(packet.HeaderLength + 16),
                ReferencePacketChecksum.Transport(expected.AsSpan(12), expected.AsSpan(16), 6, expected.AsSpan(packet.HeaderLength)));
        }

        Assert.Equal(expected, bytes);
        PacketAssert.ChecksumsMatchReference(bytes, packet);
    }

    // A plain walk of a well-formed option list: the offset of the first MSS value inside the options, or -1.
    private static int MssValueOffset(ReadOnlySpan<byte> options)
    {
        int i = 0;
        while (i < options.Length && options[i] != 0)
        {
            if (options[i] == 1)
            {
                i++;
                continue;
            }

            if (options[i] == 2 && options[i + 1] == 4)
            {
                return i + 2;
            }

            i += options[i + 1];
        }

        return -1;
    }
}
