namespace CloudTemple.Networking.Dhcp.Tests.Leases;

/// <summary>
/// Tests that listen to the DHCP meter. A <c>MeterListener</c> hears every engine in the process, so these
/// tests run alone: another test's packets would otherwise be counted with theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsListeners
{
    public const string Name = "DHCP metrics";
}
