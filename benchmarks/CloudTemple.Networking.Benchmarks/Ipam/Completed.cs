namespace CloudTemple.Networking.Benchmarks.Ipam;

/// <summary>The result of a ValueTask that the in-memory store completes synchronously, without a Task allocation.</summary>
internal static class Completed
{
    public static T Result<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
}
