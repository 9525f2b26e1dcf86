namespace CloudTemple.Networking.Packets;

/// <summary>One TCP option as <see cref="TcpOptionEnumerator"/> yields it: kind, length and data, read in place.</summary>
public readonly ref struct TcpOption
{
    internal TcpOption(byte kind, int offset, int length, ReadOnlySpan<byte> data)
    {
        Kind = kind;
        Offset = offset;
        Length = length;
        Data = data;
    }

    /// <summary>The option kind (see <see cref="TcpOptionKinds"/>).</summary>
    public byte Kind { get; }

    /// <summary>The offset of the option's kind byte from the start of the TCP header.</summary>
    public int Offset { get; }

    /// <summary>The option's length in bytes, kind and length bytes included (1 for No-Operation).</summary>
    public int Length { get; }

    /// <summary>The option's data after its kind and length bytes (empty for No-Operation).</summary>
    public ReadOnlySpan<byte> Data { get; }
}
