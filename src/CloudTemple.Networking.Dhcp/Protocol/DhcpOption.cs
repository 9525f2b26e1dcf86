namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>One option of a message: its code and its value (a slice of the message, or of its normalized options).</summary>
public readonly ref struct DhcpOption
{
    /// <summary>Creates an option view.</summary>
    /// <param name="code">The code.</param>
    /// <param name="value">The value.</param>
    public DhcpOption(DhcpOptionCode code, ReadOnlySpan<byte> value)
    {
        Code = code;
        Value = value;
    }

    /// <summary>The option code.</summary>
    public DhcpOptionCode Code { get; }

    /// <summary>The option's value (without code and length).</summary>
    public ReadOnlySpan<byte> Value { get; }
}
