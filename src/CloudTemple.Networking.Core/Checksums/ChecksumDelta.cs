namespace CloudTemple.Networking.Checksums;

/// <summary>
/// A precomputed change of an Internet checksum (RFC 1624 equation 3): the one's complement sum of
/// ~m + m' over every 16-bit word that a rewrite changes. Computed once per flow (for NAT, from the old and
/// new address and port), it updates a checksum with one add-and-fold per packet.
/// </summary>
/// <remarks>
/// The <see langword="default"/> value changes nothing. Deltas add up: the delta of an address change plus the
/// delta of a port change is the delta of both. Applying a delta and then its <see cref="Negate"/> restores a
/// checksum that was computed in full (never 0xFFFF for IPv4 and TCP) exactly. An immutable value, safe to share
/// between threads.
/// </remarks>
public readonly struct ChecksumDelta : IEquatable<ChecksumDelta>
{
    private readonly ushort _sum;

    private ChecksumDelta(ushort sum) => _sum = sum;

    /// <summary>The delta of a 16-bit word (at an even offset of the covered data) changed from <paramref name="oldValue"/> to <paramref name="newValue"/>.</summary>
    /// <param name="oldValue">The word before the change.</param>
    /// <param name="newValue">The word after the change.</param>
    /// <returns>The delta.</returns>
    public static ChecksumDelta Between(ushort oldValue, ushort newValue) =>
        new(InternetChecksum.Add((ushort)~oldValue, newValue));

    /// <summary>The delta of a 32-bit field (at an even offset of the covered data) changed from <paramref name="oldValue"/> to <paramref name="newValue"/>.</summary>
    /// <param name="oldValue">The field before the change.</param>
    /// <param name="newValue">The field after the change.</param>
    /// <returns>The delta.</returns>
    public static ChecksumDelta Between(uint oldValue, uint newValue) =>
        Between((ushort)(oldValue >> 16), (ushort)(newValue >> 16)) + Between((ushort)oldValue, (ushort)newValue);

    /// <summary>The delta of an IPv4 address changed from <paramref name="oldAddress"/> to <paramref name="newAddress"/> (in the IPv4 header or the TCP/UDP pseudo-header).</summary>
    /// <param name="oldAddress">The address before the change.</param>
    /// <param name="newAddress">The address after the change.</param>
    /// <returns>The delta.</returns>
    public static ChecksumDelta Between(Ipv4Address oldAddress, Ipv4Address newAddress) => Between(oldAddress.Value, newAddress.Value);

    /// <summary>The delta of both changes.</summary>
    /// <param name="left">A delta.</param>
    /// <param name="right">A delta.</param>
    /// <returns>Their one's complement sum.</returns>
    public static ChecksumDelta operator +(ChecksumDelta left, ChecksumDelta right) => left.Add(right);

    /// <summary>Whether two deltas are the same number.</summary>
    /// <param name="left">A delta.</param>
    /// <param name="right">A delta.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(ChecksumDelta left, ChecksumDelta right) => left.Equals(right);

    /// <summary>Whether two deltas differ.</summary>
    /// <param name="left">A delta.</param>
    /// <param name="right">A delta.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(ChecksumDelta left, ChecksumDelta right) => !left.Equals(right);

    /// <summary>The delta of this change and <paramref name="other"/> together.</summary>
    /// <param name="other">Another delta.</param>
    /// <returns>Their one's complement sum.</returns>
    public ChecksumDelta Add(ChecksumDelta other) => new(InternetChecksum.Add(_sum, other._sum));

    /// <summary>The delta that undoes this one (the change from the new values back to the old).</summary>
    /// <returns>The inverse delta.</returns>
    public ChecksumDelta Negate() => new((ushort)~_sum);

    /// <summary>Updates an IPv4 header, TCP or ICMP checksum by this delta: HC' = ~(~HC + delta).</summary>
    /// <param name="checksum">The checksum before the change.</param>
    /// <returns>The checksum after the change.</returns>
    public ushort ApplyTo(ushort checksum) => (ushort)~InternetChecksum.Add((ushort)~checksum, _sum);

    /// <summary>
    /// Updates a UDP checksum by this delta with RFC 768's rules: 0 ("no checksum") stays 0, and a result of 0 is
    /// stored as 0xFFFF.
    /// </summary>
    /// <param name="checksum">The checksum field before the change.</param>
    /// <returns>The checksum field after the change.</returns>
    public ushort ApplyToUdp(ushort checksum)
    {
        if (checksum == 0)
        {
            return 0;
        }

        ushort updated = ApplyTo(checksum);
        return updated == 0 ? (ushort)0xFFFF : updated;
    }

    /// <inheritdoc/>
    public bool Equals(ChecksumDelta other) => _sum == other._sum;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ChecksumDelta other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _sum;

    /// <summary>The delta as four hexadecimal digits.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => _sum.ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
}
