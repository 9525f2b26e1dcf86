using System.Buffers;

namespace CloudTemple.Networking.Buffers;

/// <summary>
/// An owned packet held in an array rented from an <see cref="ArrayPool{T}"/>, with free room before the
/// data (headroom) and after it (tailroom), so that an encapsulation writes its outer header in front of
/// the frame without copying it, and a decapsulation drops one by moving an offset.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Data"/> is the packet. <see cref="Prepend"/> and <see cref="Append"/> grow it into the
/// headroom and tailroom and return the new bytes, which are not cleared (a pooled array holds old
/// packets): write every one of them. When the room runs out they grow the buffer: a larger array is
/// rented, the data copied once with <see cref="DefaultHeadroom"/> (or <see cref="DefaultTailroom"/>) of
/// fresh room beyond what was asked, and the old array returned; <see cref="Reallocations"/> counts it,
/// so that a pipeline can see that its headroom is too small for its encapsulations.
/// </para>
/// <para>
/// The array goes back to the pool exactly once, on the first <see cref="Dispose"/>; later calls do
/// nothing, and any other member then throws <see cref="ObjectDisposedException"/>. Spans taken from
/// the buffer must not outlive it, nor be used after a call that may grow it.
/// </para>
/// <para>
/// Not thread-safe: a buffer has one owner at a time, and ownership passes with it (from the receive
/// loop to a pipeline stage to the sender, which disposes it). <see cref="Dispose"/> alone is safe to race.
/// </para>
/// </remarks>
public sealed class PacketBuffer : IDisposable
{
    /// <summary>The default headroom: room for two outer Ethernet/IPv4/UDP/VXLAN headers (50 bytes each) and tags.</summary>
    public const int DefaultHeadroom = 128;

    /// <summary>The default tailroom.</summary>
    public const int DefaultTailroom = 64;

    private readonly ArrayPool<byte> _pool;
    private byte[]? _array;
    private int _start;
    private int _length;

    private PacketBuffer(ArrayPool<byte> pool, byte[] array, int start, int length)
    {
        _pool = pool;
        _array = array;
        _start = start;
        _length = length;
    }

    /// <summary>Rents a buffer whose <see cref="Data"/> is <paramref name="length"/> bytes, not cleared.</summary>
    /// <param name="length">The length of the data.</param>
    /// <param name="headroom">The room before the data.</param>
    /// <param name="tailroom">The room after the data.</param>
    /// <param name="pool">The pool to rent from and return to; <see cref="ArrayPool{T}.Shared"/> when <see langword="null"/>.</param>
    /// <returns>The buffer; dispose it to return its array.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative.</exception>
    public static PacketBuffer Rent(int length, int headroom = DefaultHeadroom, int tailroom = DefaultTailroom, ArrayPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        ArgumentOutOfRangeException.ThrowIfNegative(tailroom);
        pool ??= ArrayPool<byte>.Shared;
        return new PacketBuffer(pool, pool.Rent(checked(headroom + length + tailroom)), headroom, length);
    }

    /// <summary>Rents a buffer and copies <paramref name="packet"/> into it.</summary>
    /// <param name="packet">The bytes to copy.</param>
    /// <param name="headroom">The room before the data.</param>
    /// <param name="tailroom">The room after the data.</param>
    /// <param name="pool">The pool to rent from and return to; <see cref="ArrayPool{T}.Shared"/> when <see langword="null"/>.</param>
    /// <returns>The buffer; dispose it to return its array.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A room is negative.</exception>
    public static PacketBuffer CopyOf(ReadOnlySpan<byte> packet, int headroom = DefaultHeadroom, int tailroom = DefaultTailroom, ArrayPool<byte>? pool = null)
    {
        var buffer = Rent(packet.Length, headroom, tailroom, pool);
        packet.CopyTo(buffer.Data);
        return buffer;
    }

    /// <summary>The packet.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public Span<byte> Data => Array.AsSpan(_start, _length);

    /// <summary>The packet as memory, for asynchronous I/O (a socket send); valid until the next call that may grow the buffer.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public Memory<byte> Memory => Array.AsMemory(_start, _length);

    /// <summary>The length of the packet.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public int Length
    {
        get
        {
            ObjectDisposedException.ThrowIf(_array is null, this);
            return _length;
        }
    }

    /// <summary>The free room before the packet.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public int Headroom
    {
        get
        {
            ObjectDisposedException.ThrowIf(_array is null, this);
            return _start;
        }
    }

    /// <summary>The free room after the packet.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public int Tailroom => Array.Length - _start - _length;

    /// <summary>How many times <see cref="Prepend"/> or <see cref="Append"/> had to copy the packet into a larger array.</summary>
    public int Reallocations { get; private set; }

    private byte[] Array
    {
        get
        {
            var array = _array;
            ObjectDisposedException.ThrowIf(array is null, this);
            return array;
        }
    }

    /// <summary>Grows the packet by <paramref name="count"/> bytes at the front, taken from the headroom without copying the packet.</summary>
    /// <param name="count">How many bytes to add in front.</param>
    /// <returns>The new front bytes (not cleared), followed in <see cref="Data"/> by the packet as it was.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public Span<byte> Prepend(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > Headroom)
        {
            Grow(count - _start + DefaultHeadroom, 0);
        }

        _start -= count;
        _length += count;
        return _array.AsSpan(_start, count);
    }

    /// <summary>Grows the packet by <paramref name="count"/> bytes at the end, taken from the tailroom.</summary>
    /// <param name="count">How many bytes to add at the end.</param>
    /// <returns>The new end bytes (not cleared).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public Span<byte> Append(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int tailroom = Tailroom;
        if (count > tailroom)
        {
            Grow(0, count - tailroom + DefaultTailroom);
        }

        int end = _start + _length;
        _length += count;
        return _array.AsSpan(end, count);
    }

    /// <summary>Drops <paramref name="count"/> bytes from the front of the packet (a decapsulation); they become headroom.</summary>
    /// <param name="count">How many bytes to drop, at most <see cref="Length"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or more than the packet's length.</exception>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public void TrimFront(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Length);
        _start += count;
        _length -= count;
    }

    /// <summary>Drops <paramref name="count"/> bytes from the end of the packet (padding, a trailer); they become tailroom.</summary>
    /// <param name="count">How many bytes to drop, at most <see cref="Length"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or more than the packet's length.</exception>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public void TrimEnd(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Length);
        _length -= count;
    }

    /// <summary>Empties the packet and puts its start back at <paramref name="headroom"/>, to receive the next packet into the same array.</summary>
    /// <param name="headroom">The headroom to keep, at most the array's length.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="headroom"/> is negative or beyond the array.</exception>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public void Reset(int headroom = DefaultHeadroom)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(headroom, Array.Length);
        _start = headroom;
        _length = 0;
    }

    /// <summary>Returns the array to the pool (the first call only; later calls do nothing).</summary>
    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            _pool.Return(array);
        }
    }

    private void Grow(int extraFront, int extraBack)
    {
        var old = Array;
        var array = _pool.Rent(checked(old.Length + extraFront + extraBack));
        old.AsSpan(_start, _length).CopyTo(array.AsSpan(_start + extraFront));
        _start += extraFront;
        _array = array;
        _pool.Return(old);
        Reallocations++;
    }
}
