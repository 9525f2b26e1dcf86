using System.Diagnostics;
using CloudTemple.Networking.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CloudTemple.Networking.Sqlite.Tests.Diagnostics;

/// <summary>Each store operation is a span with its attempts and retries, timed on the Meter; retries and failures are logged.</summary>
public sealed class SqliteTelemetryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Ipv4Prefix Subnet = Ipv4Prefix.Parse("10.0.1.0/24");
    private readonly TempDatabase _database = new();
    private readonly TestMeterFactory _meters = new();
    private readonly FakeLogCollector _logs = new();
    private readonly ILoggerFactory _loggers;

    public SqliteTelemetryTests() => _loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(_logs)));

    public void Dispose()
    {
        _loggers.Dispose();
        _meters.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task Reads_and_writes_are_spans_with_one_attempt_and_durations_on_the_hosts_meter()
    {
        using var duration = new MetricCollector<double>(_meters, SqliteTelemetry.MeterName, "cloudtemple.sqlite.transaction.duration");
        using var commits = new MetricCollector<long>(_meters, SqliteTelemetry.MeterName, "cloudtemple.sqlite.commit.writes");
        using var store = await StoreAsync(new SqliteStoreOptions { Path = _database.Path });
        using var spans = new ActivityRecorder(SqliteTelemetry.ActivitySourceName);

        await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "a"), Now, default);
        await store.ListAllocationsAsync("vpc", Subnet, default);

        var recorded = spans.Activities;
        Assert.Equal(["sqlite.transaction", "sqlite.transaction"], recorded.Select(a => a.OperationName));
        Assert.Equal([nameof(IIpamStore.AllocateAsync), nameof(IIpamStore.ListAllocationsAsync)], recorded.Select(a => (string?)a.GetTagItem("cloudtemple.sqlite.operation")));
        Assert.Equal(["write", "read"], recorded.Select(a => (string?)a.GetTagItem("cloudtemple.sqlite.access")));
        Assert.All(recorded, a => Assert.Equal(1, a.GetTagItem("cloudtemple.sqlite.attempts")));
        Assert.All(recorded, a => Assert.Equal(ActivityStatusCode.Unset, a.Status));
        Assert.Equal(1, recorded[0].GetTagItem("cloudtemple.sqlite.commit.writes"));

        var allocate = Assert.Single(duration.GetMeasurementSnapshot(), m => Equals(m.Tags["cloudtemple.sqlite.operation"], nameof(IIpamStore.AllocateAsync)));
        Assert.Equal("write", allocate.Tags["cloudtemple.sqlite.access"]);
        Assert.InRange(allocate.Value, 0, 60);
        Assert.Contains(commits.GetMeasurementSnapshot(), m => m.Value >= 1);
    }

    [Fact]
    public async Task A_busy_database_gives_retry_events_and_warnings_then_success_when_the_lock_goes()
    {
        using var retried = new MetricCollector<long>(_meters, SqliteTelemetry.MeterName, "cloudtemple.sqlite.transactions.retried");
        using var store = await StoreAsync(new SqliteStoreOptions { Path = _database.Path, BusyTimeout = TimeSpan.FromMilliseconds(20), MaxAttempts = 200 });
        using var spans = new ActivityRecorder(SqliteTelemetry.ActivitySourceName);
        var other = new SqliteConnection($"Data Source={_database.Path};Pooling=False;Default Timeout=1");
        other.Open();
        var transaction = other.BeginTransaction(deferred: false);
        var allocating = store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "a"), Now, default).AsTask();
        while (retried.GetMeasurementSnapshot().Count < 2)
        {
            await Task.Delay(10);
        }

        transaction.Dispose();
        other.Dispose();
        await allocating.WaitAsync(TimeSpan.FromSeconds(30));

        var span = Assert.Single(spans.Activities);
        var retries = span.Events.Where(e => e.Name == "retry").ToList();
        Assert.True(retries.Count >= 2);
        Assert.Equal(retries.Count + 1, span.GetTagItem("cloudtemple.sqlite.attempts"));
        Assert.Equal(Enumerable.Range(1, retries.Count), retries.Select(e => (int)e.Tags.Single(t => t.Key == "cloudtemple.sqlite.attempt").Value!));
        Assert.All(retries, e => Assert.Equal("SQLITE_5", e.Tags.Single(t => t.Key == "error.type").Value));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        var warnings = _logs.GetSnapshot().Where(r => r.Id.Id == 1).ToList();
        Assert.Equal(retries.Count, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.All(retried.GetMeasurementSnapshot(), m => Assert.Equal("write", m.Tags["cloudtemple.sqlite.access"]));
    }

    [Fact]
    public async Task A_lock_held_beyond_every_attempt_is_an_error_span_a_counted_failure_and_an_error_log()
    {
        using var failed = new MetricCollector<long>(_meters, SqliteTelemetry.MeterName, "cloudtemple.sqlite.transactions.failed");
        using var store = await StoreAsync(new SqliteStoreOptions { Path = _database.Path, BusyTimeout = TimeSpan.FromMilliseconds(20), MaxAttempts = 3 });
        using var spans = new ActivityRecorder(SqliteTelemetry.ActivitySourceName);
        using (var other = new SqliteConnection($"Data Source={_database.Path};Pooling=False;Default Timeout=1"))
        {
            other.Open();
            using var transaction = other.BeginTransaction(deferred: false);
            await Assert.ThrowsAsync<SqliteStoreException>(async () => await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "a"), Now, default));
        }

        var span = Assert.Single(spans.Activities);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(3, span.GetTagItem("cloudtemple.sqlite.attempts"));
        Assert.Equal("SQLITE_5", span.GetTagItem("error.type"));
        Assert.Equal(2, span.Events.Count(e => e.Name == "retry"));
        var failure = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal(nameof(IIpamStore.AllocateAsync), failure.Tags["cloudtemple.sqlite.operation"]);
        var error = Assert.Single(_logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Equal(2, error.Id.Id);
        Assert.IsType<SqliteStoreException>(error.Exception);
        Assert.Equal("CloudTemple.Networking.Sqlite", error.Category);
    }

    private async Task<SqliteIpamStore> StoreAsync(SqliteStoreOptions options)
    {
        var store = new SqliteIpamStore(options, _loggers, _meters);
        await store.CreateSpaceAsync(new AddressSpace("vpc", [Ipv4Prefix.Parse("10.0.0.0/16")]), default);
        await store.CarveSubnetAsync(SubnetRequest.Explicit("vpc", Subnet), Now, default);
        return store;
    }
}
