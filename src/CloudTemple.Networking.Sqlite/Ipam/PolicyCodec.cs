using CloudTemple.Networking.Ipam;

namespace CloudTemple.Networking.Sqlite;

/// <summary>Stores a reserved-address policy as name and counts, and gives back the preset (with its roles) when it is one.</summary>
internal static class PolicyCodec
{
    private static readonly ReservedAddressPolicy[] Presets =
        [ReservedAddressPolicy.None, ReservedAddressPolicy.Default, ReservedAddressPolicy.Aws, ReservedAddressPolicy.Azure, ReservedAddressPolicy.Ovn];

    public static ReservedAddressPolicy Read(string name, int start, int end) =>
        Array.Find(Presets, p => p.Name == name && p.ReservedAtStart == start && p.ReservedAtEnd == end)
        ?? new ReservedAddressPolicy(name, start, end);
}
