using FsCheck.Xunit;

namespace CloudTemple.Networking.Ipam.Tests.Allocation;

/// <summary>The hierarchical bitmap against a plain bool array.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 200)]
public class AddressBitmapProperties
{
    [Property]
    public void Next_free_agrees_with_a_linear_scan_over_a_bool_array(Operation[] operations)
    {
        // Sizes that cross one, two and three summary levels.
        int size = (operations.Length % 4) switch { 0 => 1, 1 => 64, 2 => 4096 + 7, _ => 300_000 };
        var bitmap = new AddressBitmap(size);
        var free = new bool[size];
        if (operations.Length % 3 == 0)
        {
            bitmap.SetAllFree();
            Array.Fill(free, true);
        }

        foreach (var op in operations)
        {
            // Cluster indices so that words fill up and empty completely.
            int index = (int)(((long)op.X * 1024 + op.Y) % size);
            if (op.Kind < 45)
            {
                Assert.Equal(!free[index], bitmap.SetFree(index));
                free[index] = true;
            }
            else if (op.Kind < 90)
            {
                Assert.Equal(free[index], bitmap.SetUsed(index));
                free[index] = false;
            }

            int start = (int)(((long)op.Z * 977) % size);
            int expected = Array.IndexOf(free, true, start);
            if (expected < 0)
            {
                expected = Array.IndexOf(free, true, 0, start);
            }

            Assert.Equal(expected, bitmap.NextFree(start));
            Assert.Equal(free[index], bitmap.IsFree(index));
        }
    }

    [Fact]
    public void A_full_bitmap_has_no_free_address_and_an_empty_one_starts_at_zero()
    {
        var bitmap = new AddressBitmap(1 << 16);
        Assert.Equal(-1, bitmap.NextFree(0));
        bitmap.SetAllFree();
        Assert.Equal(0, bitmap.NextFree(0));
        Assert.Equal(65535, bitmap.NextFree(65535));
        for (int i = 0; i < 1 << 16; i++)
        {
            bitmap.SetUsed(i);
        }

        Assert.Equal(-1, bitmap.NextFree(12345));
        bitmap.SetFree(7);
        Assert.Equal(7, bitmap.NextFree(12345));
    }
}
