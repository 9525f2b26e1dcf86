using System.Diagnostics;
using CloudTemple.Networking.Testing;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace CloudTemple.Networking.PostgreSql.Tests.Faults;

/// <summary>What a cut connection and a failing statement look like in spans, metrics and logs.</summary>
public sealed partial class ConnectionCutTests
{
    [SkippableFact]
    public async Task A_retried_transaction_is_one_span_with_a_retry_event_a_warning_and_a_counted_retry()
    {
        var logs = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        using var meters = new TestMeterFactory();
        var (store, schema) = await NewStoreAsync(maxAttempts: 3, loggers, meters);
        await using var _ = store;
        using var retried = new MetricCollector<long>(meters, PostgreSqlTelemetry.MeterName, "cloudtemple.postgresql.transactions.retried");
        using var duration = new MetricCollector<double>(meters, PostgreSqlTelemetry.MeterName, "cloudtemple.postgresql.transaction.duration");
        await using var blocker = await LockSubnetAsync(schema);
        using var spans = new ActivityRecorder(PostgreSqlTelemetry.ActivitySourceName);

        var allocation = store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "vm-1"), T0, default).AsTask();
        await TerminateWaitingBackendAsync(allocation);
        await blocker.RollbackAsync();
        await allocation;

        var span = Assert.Single(spans.Activities, a => Equals(a.GetTagItem("cloudtemple.postgresql.operation"), nameof(IIpamStore.AllocateAsync)));
        Assert.Equal("postgresql.transaction", span.OperationName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(2, span.GetTagItem("cloudtemple.postgresql.attempts"));
        var retry = Assert.Single(span.Events, e => e.Name == "retry");
        Assert.Equal(1, retry.Tags.Single(t => t.Key == "cloudtemple.postgresql.attempt").Value);
        Assert.False(string.IsNullOrEmpty((string?)retry.Tags.Single(t => t.Key == "error.type").Value));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);

        var counted = Assert.Single(retried.GetMeasurementSnapshot());
        Assert.Equal(nameof(IIpamStore.AllocateAsync), counted.Tags["cloudtemple.postgresql.operation"]);
        Assert.Contains(duration.GetMeasurementSnapshot(), m => Equals(m.Tags["cloudtemple.postgresql.operation"], nameof(IIpamStore.AllocateAsync)) && !m.Tags.ContainsKey("error.type"));
        var warning = Assert.Single(logs.GetSnapshot(), r => r.Category == "CloudTemple.Networking.PostgreSql" && r.Level == LogLevel.Warning);
        Assert.Equal(1, warning.Id.Id);
        Assert.Contains(nameof(IIpamStore.AllocateAsync), warning.Message, StringComparison.Ordinal);
        // The data source the store built logs through the host's logger factory too.
        Assert.Contains(logs.GetSnapshot(), r => r.Category?.StartsWith("Npgsql", StringComparison.Ordinal) == true);
    }

    [SkippableFact]
    public async Task A_store_failure_is_an_error_span_a_counted_failure_and_an_error_log_with_the_sqlstate()
    {
        var logs = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        using var meters = new TestMeterFactory();
        var (store, schema) = await NewStoreAsync(maxAttempts: 5, loggers, meters);
        await using var _ = store;
        using var failed = new MetricCollector<long>(meters, PostgreSqlTelemetry.MeterName, "cloudtemple.postgresql.transactions.failed");
        await ExecuteAsync($"ALTER TABLE \"{schema}\".ipam_allocation ADD CONSTRAINT no_dot_two CHECK (address <> {Ipv4Address.Parse("10.0.1.2").Value})");
        using var spans = new ActivityRecorder(PostgreSqlTelemetry.ActivitySourceName);

        await Assert.ThrowsAsync<PostgreSqlStoreException>(async () => await store.AllocateAsync(AddressRequest.NextFree("vpc", Subnet, "vm-1"), T0, default));

        var span = Assert.Single(spans.Activities);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(PostgresErrorCodes.CheckViolation, span.GetTagItem("error.type"));
        Assert.Equal(1, span.GetTagItem("cloudtemple.postgresql.attempts"));
        Assert.DoesNotContain(span.Events, e => e.Name == "retry");
        var failure = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal(PostgresErrorCodes.CheckViolation, failure.Tags["error.type"]);
        var error = Assert.Single(logs.GetSnapshot(), r => r.Category == "CloudTemple.Networking.PostgreSql" && r.Level == LogLevel.Error);
        Assert.Equal(2, error.Id.Id);
        Assert.IsAssignableFrom<PostgresException>(error.Exception);
    }
}
