using CloudTemple.Networking.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CloudTemple.Networking.Core.Tests.Buffers;

public class PacketBufferTests
{
    [Fact]
    public void Prepend_within_the_headroom_writes_in_front_of_the_data_without_moving_it()
    {
        var pool = new CountingPool();
        using var buffer = PacketBuffer.CopyOf([1, 2, 3, 4], headroom: 64, tailroom: 16, pool: pool);
        ref byte before = ref MemoryMarshal.GetReference(buffer.Data);

        var front = buffer.Prepend(50);
        front.Fill(9);

        Assert.Equal(54, buffer.Length);
        Assert.Equal(14, buffer.Headroom);
        Assert.True(Unsafe.AreSame(ref before, ref buffer.Data[50]), "the frame moved");
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(front), ref MemoryMarshal.GetReference(buffer.Data)));
        Assert.Equal([.. Enumerable.Repeat((byte)9, 50), 1, 2, 3, 4], buffer.Data.ToArray());
        Assert.Equal(0, buffer.Reallocations);
        Assert.Equal(1, pool.Rents);
    }

    [Fact]
    public void Prepend_beyond_the_headroom_grows_once_keeps_the_data_and_returns_the_old_array()
    {
        var pool = new CountingPool();
        var buffer = PacketBuffer.CopyOf([1, 2, 3], headroom: 2, tailroom: 0, pool: pool);

        buffer.Prepend(10).Fill(7);

        Assert.Equal([.. Enumerable.Repeat((byte)7, 10), 1, 2, 3], buffer.Data.ToArray());
        Assert.Equal(1, buffer.Reallocations);
        Assert.Equal(PacketBuffer.DefaultHeadroom, buffer.Headroom);
        Assert.Equal((2, 1, 1), (pool.Rents, pool.Returns, pool.Outstanding));

        buffer.Append(5).Fill(8);
        Assert.Equal([.. Enumerable.Repeat((byte)7, 10), 1, 2, 3, 8, 8, 8, 8, 8], buffer.Data.ToArray());
        Assert.Equal(2, buffer.Reallocations);
        Assert.True(buffer.Tailroom >= PacketBuffer.DefaultTailroom);

        buffer.Dispose();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Trims_move_the_bounds_and_refuse_more_than_the_data()
    {
        using var buffer = PacketBuffer.CopyOf([1, 2, 3, 4, 5], headroom: 8, tailroom: 8);
        int tailroom = buffer.Tailroom;
        buffer.TrimFront(2);
        buffer.TrimEnd(1);
        Assert.Equal([3, 4], buffer.Data.ToArray());
        Assert.Equal((10, tailroom + 1), (buffer.Headroom, buffer.Tailroom));

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.TrimFront(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.TrimEnd(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.TrimFront(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Prepend(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Append(-1));
        Assert.Equal([3, 4], buffer.Data.ToArray());
    }

    [Fact]
    public void Reset_empties_the_data_and_restores_the_headroom()
    {
        using var buffer = PacketBuffer.Rent(100, headroom: 32);
        buffer.Prepend(20);
        buffer.Reset(32);
        Assert.Equal(0, buffer.Length);
        Assert.Equal(32, buffer.Headroom);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Reset(1 << 20));
    }

    [Fact]
    public void Dispose_returns_the_array_exactly_once_and_later_use_throws()
    {
        var pool = new CountingPool();
        var buffer = PacketBuffer.Rent(64, pool: pool);
        buffer.Dispose();
        buffer.Dispose();

        Assert.Equal((1, 1), (pool.Rents, pool.Returns));
        Assert.Throws<ObjectDisposedException>(() => buffer.Data.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.Memory);
        Assert.Throws<ObjectDisposedException>(() => buffer.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.Headroom);
        Assert.Throws<ObjectDisposedException>(() => buffer.Tailroom);
        Assert.Throws<ObjectDisposedException>(() => buffer.Prepend(1).Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.Append(1).Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.TrimFront(0));
        Assert.Throws<ObjectDisposedException>(() => buffer.TrimEnd(0));
        Assert.Throws<ObjectDisposedException>(() => buffer.Reset());
    }

    [Fact]
    public void Rent_refuses_negative_sizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PacketBuffer.Rent(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PacketBuffer.Rent(1, headroom: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PacketBuffer.Rent(1, tailroom: -1));
    }

    [Fact]
    public void Memory_is_the_data_for_asynchronous_io()
    {
        using var buffer = PacketBuffer.CopyOf([5, 6, 7]);
        Assert.Equal(buffer.Data.ToArray(), buffer.Memory.ToArray());
    }
}
