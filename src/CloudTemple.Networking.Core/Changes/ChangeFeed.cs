namespace CloudTemple.Networking.Changes;

/// <summary>The capacity limits shared by every <see cref="ChangeFeed{T}"/> of the libraries.</summary>
public static class ChangeFeed
{
    /// <summary>The default buffer size per subscriber (the <c>ChangeFeedCapacity</c> option of each library): 1024 entries.</summary>
    public const int DefaultCapacity = 1024;

    /// <summary>The largest buffer size per subscriber: 1,048,576 entries.</summary>
    public const int MaxCapacity = 1 << 20;

    /// <summary>Whether <paramref name="capacity"/> is a valid buffer size (1 to <see cref="MaxCapacity"/>).</summary>
    /// <param name="capacity">The capacity.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool IsValidCapacity(int capacity) => capacity is >= 1 and <= MaxCapacity;
}
