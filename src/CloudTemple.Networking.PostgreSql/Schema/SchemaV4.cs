namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// Version 4, start-up that can run twice and one allocator: subnets get a request key, unique within the
/// space, and names become unique within the space (a name that several subnets shared before stays with
/// the lowest of them; the others get their CIDR appended, as " (10.0.2.0/24)"). <c>ipam_allocate_next</c>
/// gains <c>p_start</c> so that random allocation runs in it too, and hold expiry moves to
/// <c>ipam_end_expired_holds</c>, shared by the function and the specific-address path.
/// </summary>
internal static class SchemaV4
{
    public static Migration Migration { get; } = new(4, "subnet request keys and unique names; ipam_allocate_next serves random allocation; ipam_end_expired_holds", """
        DROP FUNCTION IF EXISTS "{schema}".ipam_allocate_next(text, bigint, integer, text[], text[], text[], timestamptz[], uuid[], boolean);
        ALTER TABLE "{schema}".ipam_subnet ADD COLUMN request_key text NULL;
        UPDATE "{schema}".ipam_subnet n SET name = n.name || ' (' || host(('0.0.0.0'::inet + n.network)) || '/' || n.length || ')'
        WHERE n.name IS NOT NULL
            AND EXISTS (SELECT 1 FROM "{schema}".ipam_subnet o WHERE o.space_id = n.space_id AND o.name = n.name AND o.network < n.network);
        CREATE UNIQUE INDEX ipam_subnet_by_name ON "{schema}".ipam_subnet (space_id, name) WHERE name IS NOT NULL;
        CREATE UNIQUE INDEX ipam_subnet_by_request ON "{schema}".ipam_subnet (space_id, request_key) WHERE request_key IS NOT NULL;

        """ + AllocateNextFunction.CreateOrReplace);
}
