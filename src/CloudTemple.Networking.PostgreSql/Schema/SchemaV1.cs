namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// Version 1: IPAM and DHCP lease tables. Addresses are IPv4 addresses as <c>bigint</c> (0 to 2^32-1).
/// Pools and subnets carry a <c>span</c>: the space id times 2^32 plus the address range, so that a
/// plain range exclusion constraint refuses overlapping pools or subnets inside one space while
/// different spaces never collide.
/// </summary>
internal static class SchemaV1
{
    public static Migration Migration { get; } = new(1, "IPAM spaces, pools, subnets, free ranges, allocations, holds; DHCP leases", """
        CREATE TABLE "{schema}".ipam_space (
            space_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE,
            reuse_hold_ticks bigint NOT NULL CHECK (reuse_hold_ticks >= 0),
            policy_name text NULL,
            policy_start integer NULL,
            policy_end integer NULL,
            operation_id uuid NULL UNIQUE);

        CREATE TABLE "{schema}".ipam_pool (
            space_id bigint NOT NULL REFERENCES "{schema}".ipam_space ON DELETE CASCADE,
            network bigint NOT NULL,
            length integer NOT NULL CHECK (length BETWEEN 0 AND 32),
            ordinal integer NOT NULL,
            span int8range NOT NULL,
            PRIMARY KEY (space_id, network),
            EXCLUDE USING gist (span WITH &&));

        CREATE TABLE "{schema}".ipam_subnet (
            space_id bigint NOT NULL,
            network bigint NOT NULL,
            length integer NOT NULL CHECK (length BETWEEN 8 AND 32),
            pool_network bigint NOT NULL,
            name text NULL,
            policy_name text NOT NULL,
            policy_start integer NOT NULL,
            policy_end integer NOT NULL,
            exclusion_first bigint[] NOT NULL,
            exclusion_last bigint[] NOT NULL,
            carved_at timestamptz NOT NULL,
            next_offset bigint NOT NULL DEFAULT 0,
            reserved bigint NOT NULL,
            allocated bigint NOT NULL DEFAULT 0 CHECK (allocated >= 0),
            operation_id uuid NULL UNIQUE,
            span int8range NOT NULL,
            PRIMARY KEY (space_id, network),
            FOREIGN KEY (space_id, pool_network) REFERENCES "{schema}".ipam_pool ON DELETE CASCADE,
            EXCLUDE USING gist (span WITH &&));

        -- The addresses of a subnet that next-free and random allocation may hand out, as disjoint
        -- ranges that never cross a subnet boundary: finding a free address is one index probe.
        CREATE TABLE "{schema}".ipam_free_range (
            space_id bigint NOT NULL,
            subnet_network bigint NOT NULL,
            first bigint NOT NULL,
            last bigint NOT NULL CHECK (last >= first),
            PRIMARY KEY (space_id, first),
            UNIQUE (space_id, last),
            FOREIGN KEY (space_id, subnet_network) REFERENCES "{schema}".ipam_subnet ON DELETE CASCADE);

        CREATE TABLE "{schema}".ipam_allocation (
            space_id bigint NOT NULL,
            address bigint NOT NULL,
            subnet_network bigint NOT NULL,
            owner text NOT NULL,
            request_key text NULL,
            metadata jsonb NOT NULL,
            allocated_at timestamptz NOT NULL,
            operation_id uuid NULL UNIQUE,
            PRIMARY KEY (space_id, address),
            UNIQUE (space_id, owner, request_key),
            FOREIGN KEY (space_id, subnet_network) REFERENCES "{schema}".ipam_subnet ON DELETE CASCADE);
        CREATE INDEX ON "{schema}".ipam_allocation (space_id, owner);
        CREATE INDEX ON "{schema}".ipam_allocation (space_id, subnet_network);

        -- Released addresses in their reuse hold: neither free nor allocated until reusable_at.
        CREATE TABLE "{schema}".ipam_hold (
            space_id bigint NOT NULL,
            address bigint NOT NULL,
            subnet_network bigint NOT NULL,
            reusable_at timestamptz NOT NULL,
            PRIMARY KEY (space_id, address),
            FOREIGN KEY (space_id, subnet_network) REFERENCES "{schema}".ipam_subnet ON DELETE CASCADE);
        CREATE INDEX ON "{schema}".ipam_hold (space_id, subnet_network, reusable_at);

        CREATE TABLE "{schema}".dhcp_lease (
            address bigint PRIMARY KEY,
            subnet_network bigint NOT NULL,
            subnet_length smallint NOT NULL,
            client text NOT NULL,
            hardware_address macaddr NULL,
            state smallint NOT NULL,
            expires_at timestamptz NOT NULL,
            host_name text NULL,
            UNIQUE (subnet_network, subnet_length, client));
        -- Offered (0), bound (1) and declined (4) records are the ones that expire.
        CREATE INDEX dhcp_lease_expiry ON "{schema}".dhcp_lease (expires_at) WHERE state IN (0, 1, 4);
        """);
}
