namespace CloudTemple.Networking.Routing.Tests.Forwarding;

public class ForwardingTableTests
{
    private static Ipv4Prefix P(string text) => Ipv4Prefix.Parse(text);

    [Fact]
    public void Longest_prefix_wins_at_every_level()
    {
        var table = new ForwardingTable<string>();
        foreach (var prefix in new[] { "0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.128/25", "10.1.2.200/32" })
        {
            table.Set(P(prefix), prefix);
        }

        Assert.Equal("0.0.0.0/0", table.Lookup(Ipv4Address.Parse("11.0.0.1")));
        Assert.Equal("10.0.0.0/8", table.Lookup(Ipv4Address.Parse("10.2.0.1")));
        Assert.Equal("10.1.0.0/16", table.Lookup(Ipv4Address.Parse("10.1.3.1")));
        Assert.Equal("10.1.2.0/24", table.Lookup(Ipv4Address.Parse("10.1.2.127")));
        Assert.Equal("10.1.2.128/25", table.Lookup(Ipv4Address.Parse("10.1.2.129")));
        Assert.Equal("10.1.2.200/32", table.Lookup(Ipv4Address.Parse("10.1.2.200")));
    }

    [Fact]
    public void Removing_a_prefix_falls_back_to_its_cover()
    {
        var table = new ForwardingTable<string>();
        table.Set(P("10.0.0.0/8"), "a");
        table.Set(P("10.1.2.128/25"), "b");
        Assert.True(table.Remove(P("10.1.2.128/25")));
        Assert.Equal("a", table.Lookup(Ipv4Address.Parse("10.1.2.129")));
        Assert.False(table.Remove(P("10.1.2.128/25")));
        Assert.Equal(0, table.NodeCount);
    }

    [Fact]
    public void Lookups_allocate_nothing()
    {
        var table = new ForwardingTable<string>();
        table.Set(P("10.0.0.0/8"), "a");
        table.Set(P("10.1.2.128/25"), "b");
        table.Lookup(0x0A010281u);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int found = 0;
        for (uint a = 0x0A010200; a < 0x0A010300; a++)
        {
            found += table.Lookup(a) is null ? 0 : 1;
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(256, found);
    }

    [Fact]
    public void Memory_is_reported_and_grows_with_nodes()
    {
        var table = new ForwardingTable<string>();
        long empty = table.MemoryBytes;
        Assert.True(empty > 0);
        for (uint i = 0; i < 1000; i++)
        {
            table.Set(new Ipv4Prefix(new Ipv4Address(0x0A000000 | (i << 8)), 24), "x");
        }

        Assert.True(table.MemoryBytes > empty);
        Assert.True(table.BytesPerPrefix > 0);
        Assert.Equal(4, table.NodeCount); // 1000 /24s span four /16s
    }
}
