namespace CloudTemple.Networking.Packets;

/// <summary>
/// Enumerates the options of a TCP header without allocating (from <see cref="TcpSegment.EnumerateOptions"/>).
/// Tolerant of malformed options: it stops at the first one and sets <see cref="IsMalformed"/>, never reading past
/// the header.
/// </summary>
/// <remarks>
/// No-Operation options are yielded (their offsets matter to a writer); End of Option List ends the enumeration and
/// is not yielded. A <see langword="foreach"/> works on a copy: to read <see cref="IsMalformed"/> at the end, call
/// <see cref="MoveNext"/> in a loop on a local variable.
/// </remarks>
public ref struct TcpOptionEnumerator
{
    private readonly ReadOnlySpan<byte> _header;
    private int _next;

    internal TcpOptionEnumerator(ReadOnlySpan<byte> header)
    {
        _header = header;
        _next = TcpSegment.MinHeaderLength;
    }

    /// <summary>The option at the enumerator's position.</summary>
    public TcpOption Current { get; private set; }

    /// <summary>Whether enumeration stopped at a malformed option (no length byte, a length below 2, or one running past the header).</summary>
    public bool IsMalformed { get; private set; }

    /// <summary>Returns this enumerator, for <see langword="foreach"/>.</summary>
    /// <returns>This enumerator.</returns>
    public readonly TcpOptionEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next option.</summary>
    /// <returns>Whether there is one; <see langword="false"/> at the end, at End of Option List or at a malformed option.</returns>
    public bool MoveNext()
    {
        if (_next >= _header.Length)
        {
            return false;
        }

        byte kind = _header[_next];
        if (kind == TcpOptionKinds.EndOfOptionList)
        {
            _next = _header.Length;
            return false;
        }

        if (kind == TcpOptionKinds.NoOperation)
        {
            Current = new TcpOption(kind, _next, 1, []);
            _next++;
            return true;
        }

        int remaining = _header.Length - _next;
        int length = remaining >= 2 ? _header[_next + 1] : 0;
        if (length < 2 || length > remaining)
        {
            IsMalformed = true;
            _next = _header.Length;
            return false;
        }

        Current = new TcpOption(kind, _next, length, _header.Slice(_next + 2, length - 2));
        _next += length;
        return true;
    }
}
