using CloudTemple.Networking.Testing;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CloudTemple.Networking.Ipam.Tests.Service;

public class IpamTelemetryTests
{
    private static readonly Ipv4Prefix Vpc = Ipv4Prefix.Parse("10.1.0.0/16");

    [Fact]
    public async Task Allocations_releases_and_carves_are_counted_on_the_meter_of_the_hosts_factory()
    {
        using var meters = new TestMeterFactory();
        using var ipam = new IpamService(new InMemoryIpamStore(), new IpamOptions { ReuseHold = TimeSpan.Zero }, meterFactory: meters);
        using var allocated = new MetricCollector<long>(meters, IpamTelemetry.MeterName, "cloudtemple.ipam.addresses.allocated");
        using var released = new MetricCollector<long>(meters, IpamTelemetry.MeterName, "cloudtemple.ipam.addresses.released");
        using var carved = new MetricCollector<long>(meters, IpamTelemetry.MeterName, "cloudtemple.ipam.subnets.carved");
        using var duration = new MetricCollector<double>(meters, IpamTelemetry.MeterName, "cloudtemple.ipam.operation.duration");

        await ipam.CreateSpaceAsync("vpc", [Vpc]);
        var subnet = await ipam.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24));
        var request = AddressRequest.NextFree("vpc", subnet.Prefix, "vm") with { RequestKey = "k" };
        var first = await ipam.AllocateAsync(request);
        await ipam.AllocateAsync(request); // a repeated request allocates nothing
        await ipam.AllocateAsync(AddressRequest.NextFree("vpc", subnet.Prefix, "vm-2"));
        await ipam.ReleaseAsync("vpc", first.Address);

        Assert.Equal(1, meters.CreatedCount);
        Assert.Equal(2, allocated.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, released.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, carved.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal("{address}", allocated.Instrument!.Unit);
        Assert.Equal("s", duration.Instrument!.Unit);
        Assert.Equal(
            ["create_space", "carve_subnet", "allocate", "allocate", "allocate", "release"],
            duration.GetMeasurementSnapshot().Select(m => (string)m.Tags["cloudtemple.ipam.operation"]!));
        Assert.All(duration.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 60));
    }

    [Fact]
    public async Task Each_operation_is_a_span_with_its_space_subnet_and_address_and_failures_carry_the_error_type()
    {
        using var ipam = new IpamService(new InMemoryIpamStore());
        using var spans = new ActivityRecorder(IpamTelemetry.ActivitySourceName);
        await ipam.CreateSpaceAsync("vpc", [Vpc]);
        var subnet = await ipam.CarveSubnetAsync(SubnetRequest.NextFree("vpc", 24));
        var allocation = await ipam.AllocateAsync(AddressRequest.NextFree("vpc", subnet.Prefix, "vm"));
        await Assert.ThrowsAsync<AddressSpaceNotFoundException>(async () => await ipam.AllocateAsync(AddressRequest.NextFree("nope", subnet.Prefix, "vm")));

        var recorded = spans.Activities;
        Assert.Equal(["ipam.create_space", "ipam.carve_subnet", "ipam.allocate", "ipam.allocate"], recorded.Select(a => a.OperationName));
        var ok = recorded[2];
        Assert.Equal("vpc", ok.GetTagItem("cloudtemple.ipam.space"));
        Assert.Equal(subnet.Prefix.ToString(), ok.GetTagItem("cloudtemple.ipam.subnet"));
        Assert.Equal(allocation.Address.ToString(), ok.GetTagItem("cloudtemple.ipam.address"));
        Assert.Equal(true, ok.GetTagItem("cloudtemple.ipam.allocation.new"));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Unset, ok.Status);
        var failed = recorded[3];
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, failed.Status);
        Assert.Equal(nameof(AddressSpaceNotFoundException), failed.GetTagItem("error.type"));
    }
}
