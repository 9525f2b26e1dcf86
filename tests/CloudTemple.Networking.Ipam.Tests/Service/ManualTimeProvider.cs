namespace CloudTemple.Networking.Ipam.Tests.Service;

/// <summary>A clock that moves only when told (Microsoft.Extensions.TimeProvider.Testing 10.0.0 is not on the feed).</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
