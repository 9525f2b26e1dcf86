using CloudTemple.Networking.Checksums;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Checksums;

/// <summary>
/// Checksum deltas (RFC 1624 section 3, eqn. 3): a delta applied to a checksum gives what a full
/// recomputation gives, deltas add up, and UDP's zero rule (RFC 768) holds.
/// </summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 300)]
public class ChecksumDeltaTests
{
    [Property]
    public bool A_32_bit_delta_updates_as_the_two_16_bit_words_do(ushort checksum, uint oldValue, uint newValue) =>
        ChecksumDelta.Between(oldValue, newValue).ApplyTo(checksum) == InternetChecksum.Update(checksum, oldValue, newValue)
        && ChecksumDelta.Between(new Ipv4Address(oldValue), new Ipv4Address(newValue)).ApplyTo(checksum)
            == InternetChecksum.Update(checksum, new Ipv4Address(oldValue), new Ipv4Address(newValue));

    [Property]
    public bool Deltas_add_up_as_successive_updates(ushort checksum, ushort a, ushort b, ushort c) =>
        (ChecksumDelta.Between(a, b) + ChecksumDelta.Between(b, c)).ApplyTo(checksum)
            == ChecksumDelta.Between(b, c).ApplyTo(ChecksumDelta.Between(a, b).ApplyTo(checksum));

    [Fact]
    public void A_udp_checksum_that_updates_to_zero_is_sent_as_all_ones()
    {
        // Checksum 0x0001 over data whose 16-bit field goes from 0 to 1: the recomputed checksum is 0x0000,
        // which UDP transmits as 0xFFFF because zero means "no checksum" (RFC 768).
        var delta = ChecksumDelta.Between((ushort)0, (ushort)1);

        Assert.Equal(0x0000, InternetChecksum.Update(0x0001, (ushort)0, (ushort)1));
        Assert.Equal(0x0000, delta.ApplyTo(0x0001));
        Assert.Equal(0xFFFF, delta.ApplyToUdp(0x0001));
        Assert.Equal(delta.ApplyTo(0x1234), delta.ApplyToUdp(0x1234));
        Assert.Equal(0x0000, delta.ApplyToUdp(0x0000));
    }

    [Fact]
    public void Deltas_compare_by_value()
    {
        var delta = ChecksumDelta.Between((ushort)0x0A00, (ushort)0xC0A8);
        var same = ChecksumDelta.Between((ushort)0x0A00, (ushort)0xC0A8);
        var other = ChecksumDelta.Between((ushort)0x0A00, (ushort)0xC0A9);

        Assert.True(delta == same);
        Assert.False(delta != same);
        Assert.True(delta != other);
        Assert.False(delta == other);
        Assert.True(delta.Equals((object)same));
        Assert.False(delta.Equals((object)other));
        Assert.False(delta.Equals("f5a7"));
        Assert.Equal(same.GetHashCode(), delta.GetHashCode());
        Assert.NotEqual(other.GetHashCode(), delta.GetHashCode());
        Assert.Equal("b6a8", delta.ToString());
    }

    [Fact]
    public void A_segment_longer_than_an_ip_datagram_can_carry_is_refused()
    {
        var segment = new byte[ushort.MaxValue + 1];

        Assert.Throws<ArgumentOutOfRangeException>(
            () => InternetChecksum.ComputeWithPseudoHeader(Ipv4Address.Parse("192.0.2.1"), Ipv4Address.Parse("192.0.2.2"), 17, segment));
    }

    [Property]
    public bool A_sum_carries_its_initial_value(byte[] data, ushort initial) =>
        InternetChecksum.Sum(data, initial) == InternetChecksum.Add(InternetChecksum.Sum(data), initial);
}
