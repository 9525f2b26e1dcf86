using System.Buffers;

namespace CloudTemple.Networking.Core.Tests.Buffers;

/// <summary>A pool that records every array it lends and refuses a return it did not lend or already got back.</summary>
public sealed class CountingPool : ArrayPool<byte>
{
    private readonly HashSet<byte[]> _outstanding = new(ReferenceEqualityComparer.Instance);

    public int Rents { get; private set; }

    public int Returns { get; private set; }

    public int Outstanding => _outstanding.Count;

    public override byte[] Rent(int minimumLength)
    {
        var array = new byte[minimumLength];
        _outstanding.Add(array);
        Rents++;
        return array;
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        Assert.True(_outstanding.Remove(array), "An array was returned twice or was not lent by this pool.");
        Returns++;
    }
}
