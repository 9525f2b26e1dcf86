using CloudTemple.Networking.Ipam;
using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Sqlite;

/// <summary>A row of <c>ipam_subnets</c>: the definition and its counters.</summary>
internal sealed record SubnetRow(Subnet Definition, int Cursor, ulong Reserved, ulong Allocated, ulong Held)
{
    public const string Columns =
        "network, length, pool_network, pool_length, name, policy_name, policy_start, policy_end, exclusions, carved_at, cursor, reserved, allocated, held, request_key";

    public Ipv4Prefix Prefix => Definition.Prefix;

    public IpamUtilization Utilization => new(Prefix.Count, Prefix.Count, Reserved, Allocated, Held);

    public static SubnetRow Read(SqliteDataReader reader, string space)
    {
        var prefix = new Ipv4Prefix(new Ipv4Address((uint)reader.GetInt64(0)), reader.GetInt32(1));
        var pool = new Ipv4Prefix(new Ipv4Address((uint)reader.GetInt64(2)), reader.GetInt32(3));
        var definition = new Subnet(space, prefix, pool, PolicyCodec.Read(reader.GetString(5), reader.GetInt32(6), reader.GetInt32(7)))
        {
            Name = reader.IsDBNull(4) ? null : reader.GetString(4),
            Exclusions = ParseExclusions(reader.GetString(8)),
            CarvedAt = new DateTimeOffset(reader.GetInt64(9), TimeSpan.Zero),
            RequestKey = reader.IsDBNull(14) ? null : reader.GetString(14),
        };
        return new SubnetRow(definition, reader.GetInt32(10), (ulong)reader.GetInt64(11), (ulong)reader.GetInt64(12), (ulong)reader.GetInt64(13));
    }

    public static string FormatExclusions(IReadOnlyList<Ipv4AddressRange> exclusions) =>
        string.Join(';', exclusions.Select(e => $"{e.First}-{e.Last}"));

    private static Ipv4AddressRange[] ParseExclusions(string text) =>
        text.Length == 0 ? [] : [.. text.Split(';').Select(Ipv4AddressRange.Parse)];
}
