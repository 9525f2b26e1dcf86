using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>A subnet row with its space's settings, read under the subnet's row lock.</summary>
internal sealed record SubnetRow(long SpaceId, long ReuseHoldTicks, Subnet Definition, long NextOffset, long Reserved, long Allocated)
{
    public Ipv4Prefix Prefix => Definition.Prefix;

    public long Network => Definition.Prefix.Network.Value;

    public long Last => Definition.Prefix.Last.Value;
}

/// <summary>Mapping between rows and the IPAM records.</summary>
internal static class IpamRows
{
    /// <summary>The columns <see cref="ReadSubnet"/> reads, from <c>ipam_subnet n JOIN ipam_space s JOIN ipam_pool p</c>.</summary>
    public const string SubnetColumns =
        "n.space_id, s.reuse_hold_ticks, s.name, n.network, n.length, n.pool_network, p.length, n.name, n.policy_name, n.policy_start, n.policy_end, " +
        "n.exclusion_first, n.exclusion_last, n.carved_at, n.next_offset, n.reserved, n.allocated, n.request_key";

    /// <summary>The columns <see cref="ReadAllocation"/> reads, from <c>ipam_allocation a JOIN ipam_subnet n</c>.</summary>
    public const string AllocationColumns = "a.address, a.subnet_network, n.length, a.owner, a.request_key, a.metadata::text, a.allocated_at";

    // The instance requests carry when no metadata is given, so that round-tripped allocations share it.
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = AddressRequest.NextFree("_", default, "_").Metadata;

    public static string SubnetFrom(string s) =>
        $"{s}ipam_subnet n JOIN {s}ipam_space s ON s.space_id = n.space_id JOIN {s}ipam_pool p ON p.space_id = n.space_id AND p.network = n.pool_network";

    public static string AllocationFrom(string s) =>
        $"{s}ipam_allocation a JOIN {s}ipam_subnet n ON n.space_id = a.space_id AND n.network = a.subnet_network";

    public static SubnetRow ReadSubnet(NpgsqlDataReader r)
    {
        var prefix = new Ipv4Prefix(Sql.Address(r.GetInt64(3)), r.GetInt32(4));
        var pool = new Ipv4Prefix(Sql.Address(r.GetInt64(5)), r.GetInt32(6));
        long[] firsts = r.GetFieldValue<long[]>(11);
        long[] lasts = r.GetFieldValue<long[]>(12);
        var subnet = new Subnet(r.GetString(2), prefix, pool, Policy(r.GetString(8), r.GetInt32(9), r.GetInt32(10)))
        {
            Name = r.IsDBNull(7) ? null : r.GetString(7),
            Exclusions = [.. firsts.Zip(lasts, (f, l) => new Ipv4AddressRange(Sql.Address(f), Sql.Address(l)))],
            CarvedAt = r.GetFieldValue<DateTimeOffset>(13),
            RequestKey = r.IsDBNull(17) ? null : r.GetString(17),
        };
        return new SubnetRow(r.GetInt64(0), r.GetInt64(1), subnet, r.GetInt64(14), r.GetInt64(15), r.GetInt64(16));
    }

    /// <summary>Reads the <see cref="AllocationColumns"/>, starting at column <paramref name="at"/>.</summary>
    public static AddressAllocation ReadAllocation(NpgsqlDataReader r, string space, int at = 0) => new(
        space,
        new Ipv4Prefix(Sql.Address(r.GetInt64(at + 1)), r.GetInt32(at + 2)),
        Sql.Address(r.GetInt64(at)),
        r.GetString(at + 3),
        r.IsDBNull(at + 4) ? null : r.GetString(at + 4),
        ReadMetadata(r.GetString(at + 5)),
        r.GetFieldValue<DateTimeOffset>(at + 6));

    public static NpgsqlParameter Metadata(IReadOnlyDictionary<string, string> metadata) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = MetadataJson(metadata) };

    public static string MetadataJson(IReadOnlyDictionary<string, string> metadata) => JsonSerializer.Serialize(metadata);

    public static IReadOnlyDictionary<string, string> ReadMetadata(string json)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        return values is null || values.Count == 0 ? NoMetadata : values;
    }

    /// <summary>A preset when the stored name and counts are a preset's (so that roles such as "gateway" survive), else a custom policy.</summary>
    public static ReservedAddressPolicy Policy(string name, int start, int end)
    {
        ReservedAddressPolicy? preset = name switch
        {
            "None" => ReservedAddressPolicy.None,
            "Default" => ReservedAddressPolicy.Default,
            "Aws" => ReservedAddressPolicy.Aws,
            "Azure" => ReservedAddressPolicy.Azure,
            "Ovn" => ReservedAddressPolicy.Ovn,
            _ => null,
        };
        return preset is not null && preset.ReservedAtStart == start && preset.ReservedAtEnd == end
            ? preset
            : new ReservedAddressPolicy(name, start, end);
    }

    /// <summary>The span column of a pool or subnet: the space id above the 32 address bits.</summary>
    public static NpgsqlRange<long> Span(long spaceId, Ipv4Prefix prefix) =>
        new((spaceId << 32) + prefix.Network.Value, true, (spaceId << 32) + prefix.Last.Value, true);
}
