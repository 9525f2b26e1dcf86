using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>Mapping between <c>dhcp_lease</c> rows and <see cref="DhcpLease"/>.</summary>
internal static class LeaseRows
{
    public const string Columns = "address, subnet_network, subnet_length, client, hardware_address::text, state, expires_at, host_name";

    public static DhcpLease Read(NpgsqlDataReader r) => new(
        Sql.Address(r.GetInt64(0)),
        new Ipv4Prefix(Sql.Address(r.GetInt64(1)), r.GetInt16(2)),
        DhcpClientKey.Parse(r.GetString(3)),
        r.IsDBNull(4) ? null : MacAddress.Parse(r.GetString(4)),
        (DhcpLeaseState)r.GetInt16(5),
        r.GetFieldValue<DateTimeOffset>(6),
        r.IsDBNull(7) ? null : r.GetString(7));

    /// <summary>Adds the two statements of one save: drop the client's record at another address of the subnet, then upsert the address's record.</summary>
    public static void AddSave(SqlBatch writes, string table, DhcpLease lease)
    {
        long address = lease.Address.Value;
        long network = lease.Subnet.Network.Value;
        short length = (short)lease.Subnet.Length;
        string client = lease.Client.ToString();
        writes.Add($"DELETE FROM {table} WHERE subnet_network = $1 AND subnet_length = $2 AND client = $3 AND address <> $4", network, length, client, address);
        writes.Add(
            $"""
            INSERT INTO {table} (address, subnet_network, subnet_length, client, hardware_address, state, expires_at, host_name)
            VALUES ($1, $2, $3, $4, $5::macaddr, $6, $7, $8)
            ON CONFLICT (address) DO UPDATE SET subnet_network = excluded.subnet_network, subnet_length = excluded.subnet_length,
                client = excluded.client, hardware_address = excluded.hardware_address, state = excluded.state,
                expires_at = excluded.expires_at, host_name = excluded.host_name
            """,
            address, network, length, client, lease.HardwareAddress?.ToString(), (short)lease.State, Sql.Utc(lease.ExpiresAt), lease.HostName);
    }
}
