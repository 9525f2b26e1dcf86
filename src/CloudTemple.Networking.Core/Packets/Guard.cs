namespace CloudTemple.Networking.Packets;

internal static class Guard
{
    public static void Space(Span<byte> destination, int needed)
    {
        if (destination.Length < needed)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; {needed} are needed.", nameof(destination));
        }
    }
}
