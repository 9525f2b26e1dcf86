namespace CloudTemple.Networking.Ipam.Tests;

/// <summary>Synchronous waits for property tests (FsCheck properties are synchronous).</summary>
public static class ValueTaskExtensions
{
    public static T Sync<T>(this ValueTask<T> task) => task.AsTask().GetAwaiter().GetResult();
}
