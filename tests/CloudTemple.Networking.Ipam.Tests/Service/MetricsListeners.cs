namespace CloudTemple.Networking.Ipam.Tests.Service;

/// <summary>
/// Tests that listen to the IPAM instruments. A <c>MeterListener</c> hears every IPAM service in the process,
/// so these tests run alone: another test's errors or drops would otherwise be counted with theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsListeners
{
    public const string Name = "IPAM metrics";
}
