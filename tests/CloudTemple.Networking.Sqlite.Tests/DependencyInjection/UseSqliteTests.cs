using Microsoft.Extensions.DependencyInjection;

namespace CloudTemple.Networking.Sqlite.Tests.DependencyInjection;

/// <summary>UseSqlite on the IPAM and DHCP builders replaces the in-memory stores, one file for both.</summary>
public sealed class UseSqliteTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task UseSqlite_registers_both_stores_over_one_file()
    {
        var services = new ServiceCollection();
        services.AddIpam().UseSqlite(_database.Path);
        services.AddDhcpLeaseEngine(_ => { }).UseSqlite(_database.Path);
        await using (var provider = services.BuildServiceProvider())
        {
            var ipam = Assert.IsType<SqliteIpamStore>(provider.GetRequiredService<IIpamStore>());
            var leases = Assert.IsType<SqliteLeaseStore>(provider.GetRequiredService<ILeaseStore>());
            Assert.Same(ipam, provider.GetRequiredService<SqliteIpamStore>());
            Assert.Equal(_database.Path, ipam.Path);
            Assert.Equal(_database.Path, leases.Path);
            await ipam.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        }

        using var reopened = new SqliteIpamStore(_database.Path);
        Assert.NotNull(await reopened.GetSpaceAsync("vpc", default));
    }

    [Fact]
    public void UseSqlite_refuses_an_empty_path_at_once()
    {
        var services = new ServiceCollection();
        Assert.ThrowsAny<ArgumentException>(() => services.AddIpam().UseSqlite(" "));
        Assert.ThrowsAny<ArgumentException>(() => services.AddDhcpLeaseEngine(_ => { }).UseSqlite(new SqliteStoreOptions { Path = "x.db", MaxAttempts = 0 }));
    }
}
