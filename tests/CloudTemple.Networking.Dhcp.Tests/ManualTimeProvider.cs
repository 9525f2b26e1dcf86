namespace CloudTemple.Networking.Dhcp.Tests;

/// <summary>A clock that moves only when told (Microsoft.Extensions.TimeProvider.Testing 10.0.0 is not on the feed).</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
