namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// The lease table: one row per address (the primary key), at most one per client in a subnet (a unique
/// constraint, so that <c>INSERT OR REPLACE</c> drops the client's previous record), and a partial index
/// over the states that expire.
/// </summary>
internal static class LeaseSchema
{
    public const string Component = "dhcp_leases";

    public static IReadOnlyList<string> Scripts { get; } =
    [
        """
        CREATE TABLE dhcp_leases (
            address INTEGER PRIMARY KEY,
            subnet_network INTEGER NOT NULL,
            subnet_length INTEGER NOT NULL,
            client TEXT NOT NULL,
            hardware_address INTEGER,
            state INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            host_name TEXT,
            UNIQUE (subnet_network, subnet_length, client));
        CREATE INDEX dhcp_leases_by_expiry ON dhcp_leases (expires_at, address) WHERE state IN (0, 1, 4);
        """,
    ];
}
