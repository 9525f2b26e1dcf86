using System.Buffers.Binary;

namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>Enumerates the options of a <see cref="DhcpMessageReader"/> without allocating (use with <see langword="foreach"/>).</summary>
public ref struct DhcpOptionEnumerator
{
    private readonly ReadOnlySpan<byte> _options;
    private readonly bool _normalized;
    private int _next;

    internal DhcpOptionEnumerator(ReadOnlySpan<byte> options, bool normalized)
    {
        _options = options;
        _normalized = normalized;
        Current = default;
    }

    /// <summary>The current option.</summary>
    public DhcpOption Current { get; private set; }

    /// <summary>Returns this enumerator (for <see langword="foreach"/>).</summary>
    /// <returns>This enumerator.</returns>
    public readonly DhcpOptionEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next option.</summary>
    /// <returns>Whether there is one.</returns>
    public bool MoveNext()
    {
        if (_normalized)
        {
            if (_next + 3 > _options.Length)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(_options[(_next + 1)..]);
            Current = new DhcpOption((DhcpOptionCode)_options[_next], _options.Slice(_next + 3, length));
            _next += 3 + length;
            return true;
        }

        // Raw field, already validated by the reader: skip pads, stop at End.
        while (_next < _options.Length && _options[_next] == (byte)DhcpOptionCode.Pad)
        {
            _next++;
        }

        if (_next >= _options.Length || _options[_next] == (byte)DhcpOptionCode.End || _next + 1 >= _options.Length)
        {
            _next = _options.Length;
            return false;
        }

        int size = _options[_next + 1];
        if (_next + 2 + size > _options.Length)
        {
            _next = _options.Length;
            return false;
        }

        Current = new DhcpOption((DhcpOptionCode)_options[_next], _options.Slice(_next + 2, size));
        _next += 2 + size;
        return true;
    }
}
