using System.Runtime.Versioning;

namespace CloudTemple.Networking.Sqlite.Tests.Configuration;

/// <summary>A database file that cannot be opened raises SqliteStoreException naming the path, as the README promises.</summary>
public sealed class UnopenableFileTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static async Task AssertCannotOpenAsync(string path)
    {
        using var ipam = new SqliteIpamStore(path);
        var error = await Assert.ThrowsAsync<SqliteStoreException>(() => ipam.CreateSpaceAsync(new AddressSpace("vpc-1", [Ipv4Prefix.Parse("10.0.0.0/16")]), default).AsTask());
        Assert.Equal(Path.GetFullPath(path), error.Path);
        Assert.True(error.IsCannotOpen, error.Message);
        Assert.Contains(Path.GetFullPath(path), error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be opened", error.Message, StringComparison.Ordinal);

        await using var leases = new SqliteLeaseStore(path);
        var leaseError = await Assert.ThrowsAsync<SqliteStoreException>(() => leases.ListAsync(default).AsTask());
        Assert.Equal(Path.GetFullPath(path), leaseError.Path);
        Assert.True(leaseError.IsCannotOpen, leaseError.Message);
    }

    [Fact]
    public Task A_missing_directory_raises_SqliteStoreException_naming_the_path() =>
        AssertCannotOpenAsync(Path.Combine(_database.Folder, "missing", "store.db"));

    [Fact]
    public async Task A_path_through_a_regular_file_raises_SqliteStoreException_naming_the_path()
    {
        // Fails for root too (ENOTDIR), unlike a permission.
        string file = Path.Combine(_database.Folder, "not-a-directory");
        await File.WriteAllTextAsync(file, "a regular file");

        await AssertCannotOpenAsync(Path.Combine(file, "store.db"));
    }

    [SkippableFact]
    [SupportedOSPlatform("linux")]
    public async Task A_directory_without_permission_raises_SqliteStoreException_naming_the_path()
    {
        Skip.If(Environment.IsPrivilegedProcess, "root ignores directory permissions; the missing-directory and regular-file cases cover root.");
        string locked = Path.Combine(_database.Folder, "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, UnixFileMode.None);
        try
        {
            await AssertCannotOpenAsync(Path.Combine(locked, "store.db"));
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task Concurrent_operations_on_a_file_that_cannot_be_opened_all_fail_instead_of_hanging()
    {
        using var ipam = new SqliteIpamStore(Path.Combine(_database.Folder, "missing", "store.db"));
        var writes = Enumerable.Range(0, 4)
            .Select(i => Assert.ThrowsAsync<SqliteStoreException>(() => ipam.CreateSpaceAsync(new AddressSpace($"vpc-{i}", [Ipv4Prefix.Parse("10.0.0.0/16")]), default).AsTask()));

        var all = Task.WhenAll(writes);
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))));
        await all;
    }
}
