namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// The IPAM tables. Addresses and prefixes are host-order integers, times UTC ticks. Subnet counters
/// make utilization a single-row read; free addresses are kept as ranges and free pool space as buddy
/// blocks, so that next-free, random and specific allocation and next-free carving are index seeks
/// whatever the fill level. The primary keys are the last line of defence: one row per address and
/// per subnet network in a space, one allocation per owner and request key, one subnet per name and per request key
/// (version 2).
/// </summary>
internal static class IpamSchema
{
    public const string Component = "ipam";

    public static IReadOnlyList<string> Scripts { get; } =
    [
        """
        CREATE TABLE ipam_spaces (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            reuse_hold_ticks INTEGER NOT NULL,
            policy_name TEXT,
            policy_start INTEGER,
            policy_end INTEGER);
        CREATE TABLE ipam_pools (
            space_id INTEGER NOT NULL,
            network INTEGER NOT NULL,
            length INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            PRIMARY KEY (space_id, network)) WITHOUT ROWID;
        CREATE TABLE ipam_free_blocks (
            space_id INTEGER NOT NULL,
            network INTEGER NOT NULL,
            length INTEGER NOT NULL,
            pool_network INTEGER NOT NULL,
            PRIMARY KEY (space_id, network)) WITHOUT ROWID;
        CREATE INDEX ipam_free_blocks_by_length ON ipam_free_blocks (space_id, length, network);
        CREATE TABLE ipam_subnets (
            space_id INTEGER NOT NULL,
            network INTEGER NOT NULL,
            length INTEGER NOT NULL,
            pool_network INTEGER NOT NULL,
            pool_length INTEGER NOT NULL,
            name TEXT,
            policy_name TEXT NOT NULL,
            policy_start INTEGER NOT NULL,
            policy_end INTEGER NOT NULL,
            exclusions TEXT NOT NULL,
            carved_at INTEGER NOT NULL,
            cursor INTEGER NOT NULL,
            reserved INTEGER NOT NULL,
            allocated INTEGER NOT NULL,
            held INTEGER NOT NULL,
            PRIMARY KEY (space_id, network)) WITHOUT ROWID;
        CREATE TABLE ipam_free_ranges (
            space_id INTEGER NOT NULL,
            last INTEGER NOT NULL,
            first INTEGER NOT NULL,
            subnet INTEGER NOT NULL,
            PRIMARY KEY (space_id, last)) WITHOUT ROWID;
        CREATE TABLE ipam_allocations (
            space_id INTEGER NOT NULL,
            address INTEGER NOT NULL,
            subnet INTEGER NOT NULL,
            subnet_length INTEGER NOT NULL,
            owner TEXT NOT NULL,
            request_key TEXT,
            metadata TEXT,
            allocated_at INTEGER NOT NULL,
            PRIMARY KEY (space_id, address)) WITHOUT ROWID;
        CREATE UNIQUE INDEX ipam_allocations_by_request ON ipam_allocations (space_id, owner, request_key) WHERE request_key IS NOT NULL;
        CREATE INDEX ipam_allocations_by_owner ON ipam_allocations (space_id, owner, address);
        CREATE TABLE ipam_holds (
            space_id INTEGER NOT NULL,
            address INTEGER NOT NULL,
            subnet INTEGER NOT NULL,
            reusable_at INTEGER NOT NULL,
            PRIMARY KEY (space_id, address)) WITHOUT ROWID;
        CREATE INDEX ipam_holds_by_end ON ipam_holds (space_id, reusable_at);
        """,
        // Version 2, start-up that can run twice: subnet request keys, and names unique within a space. A name
        // that several subnets shared before stays with the lowest of them; the others get their CIDR appended.
        """
        ALTER TABLE ipam_subnets ADD COLUMN request_key TEXT;
        UPDATE ipam_subnets SET name = name || ' (' || (network >> 24) || '.' || ((network >> 16) & 255) || '.' || ((network >> 8) & 255) || '.'
            || (network & 255) || '/' || length || ')'
        WHERE name IS NOT NULL
            AND EXISTS (SELECT 1 FROM ipam_subnets o WHERE o.space_id = ipam_subnets.space_id AND o.name = ipam_subnets.name AND o.network < ipam_subnets.network);
        CREATE UNIQUE INDEX ipam_subnets_by_name ON ipam_subnets (space_id, name) WHERE name IS NOT NULL;
        CREATE UNIQUE INDEX ipam_subnets_by_request ON ipam_subnets (space_id, request_key) WHERE request_key IS NOT NULL;
        """,
    ];
}
