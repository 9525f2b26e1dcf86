using Npgsql;

namespace CloudTemple.Networking.Benchmarks.PostgreSql;

/// <summary>The PostgreSQL server the benchmarks run against (CLOUDTEMPLE_TEST_POSTGRES, default the local test server), with the pool settings the stores recommend, and a throwaway schema per run.</summary>
internal static class BenchmarkDatabase
{
    public static string ConnectionString =>
        new NpgsqlConnectionStringBuilder(
            Environment.GetEnvironmentVariable("CLOUDTEMPLE_TEST_POSTGRES") is { Length: > 0 } value
                ? value
                : "Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres")
        {
            MaxPoolSize = 64,
            // As the stores set up the data sources they create from a connection string: without
            // these, every pooled connection is reset with DISCARD ALL on return, which also throws
            // away the server's cached plans (those of ipam_allocate_next included).
            MaxAutoPrepare = 64,
            NoResetOnClose = true,
        }.ConnectionString;

    public static string NewSchema() => $"bench_{Guid.NewGuid():N}";

    public static void Execute(NpgsqlDataSource dataSource, string sql)
    {
        using var command = dataSource.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="total"/> operations split over <paramref name="allocators"/> concurrent callers, each one after the other.</summary>
    public static void RunConcurrently(int allocators, int total, Func<int, int, Task> operation)
    {
        int each = total / allocators;
        Task.WhenAll(Enumerable.Range(0, allocators).Select(a => Task.Run(async () =>
        {
            for (int i = 0; i < each; i++)
            {
                await operation(a, i).ConfigureAwait(false);
            }
        }))).GetAwaiter().GetResult();
    }
}
