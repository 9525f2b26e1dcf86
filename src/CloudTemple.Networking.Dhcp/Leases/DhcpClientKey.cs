namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// What identifies a DHCP client: its client identifier (option 61) or its hardware type and address,
/// according to <see cref="DhcpClientIdentification"/>. Text form <c>id:0102...</c> or <c>hw:01:0200...</c>.
/// </summary>
/// <remarks>Immutable and thread-safe; compares by value.</remarks>
public readonly struct DhcpClientKey : IEquatable<DhcpClientKey>
{
    private readonly string? _value;

    private DhcpClientKey(string value) => _value = value;

    /// <summary>A key from a client identifier (the whole value of option 61).</summary>
    /// <param name="clientIdentifier">The option value.</param>
    /// <returns>The key.</returns>
    public static DhcpClientKey FromClientIdentifier(ReadOnlySpan<byte> clientIdentifier) =>
        new("id:" + Convert.ToHexStringLower(clientIdentifier));

    /// <summary>A key from a hardware type and address (htype and chaddr).</summary>
    /// <param name="hardwareType">The htype field.</param>
    /// <param name="hardwareAddress">The first hlen bytes of chaddr.</param>
    /// <returns>The key.</returns>
    public static DhcpClientKey FromHardwareAddress(byte hardwareType, ReadOnlySpan<byte> hardwareAddress) =>
        new($"hw:{hardwareType:x2}:{Convert.ToHexStringLower(hardwareAddress)}");

    /// <summary>A key from an Ethernet MAC address.</summary>
    /// <param name="address">The MAC address.</param>
    /// <returns>The key.</returns>
    public static DhcpClientKey FromMacAddress(MacAddress address)
    {
        Span<byte> bytes = stackalloc byte[MacAddress.Size];
        address.WriteTo(bytes);
        return FromHardwareAddress(1, bytes);
    }

    // Declined addresses belong to nobody; one key per address keeps their records apart.
    internal static DhcpClientKey ForDeclined(Ipv4Address address) => new($"declined:{address}");

    /// <summary>Parses the text form produced by <see cref="ToString"/> (also the form of a declined address's record, so that a durable store reads back what it wrote).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">Not a key.</exception>
    public static DhcpClientKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // declined:ADDRESS is the key the engine gives a declined address; a durable store reads it back.
        if (!text.StartsWith("id:", StringComparison.Ordinal) && !text.StartsWith("hw:", StringComparison.Ordinal)
            && !(text.StartsWith("declined:", StringComparison.Ordinal) && Ipv4Address.TryParse(text.AsSpan(9), out _)))
        {
            throw new FormatException($"'{text}' is not a DHCP client key (id:HEX, hw:TYPE:HEX or declined:ADDRESS).");
        }

        return new DhcpClientKey(text);
    }

    /// <summary>Whether this is the default (empty) key.</summary>
    public bool IsEmpty => _value is null;

    /// <inheritdoc/>
    public override string ToString() => _value ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(DhcpClientKey other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DhcpClientKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Equality.</summary>
    public static bool operator ==(DhcpClientKey left, DhcpClientKey right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(DhcpClientKey left, DhcpClientKey right) => !left.Equals(right);
}
