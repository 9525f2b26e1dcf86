namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// Version 3, for the cost of one allocation: <c>ipam_allocate_next</c> takes a sequential allocation
/// from the start of a free range by shrinking that range in place (one UPDATE instead of a DELETE and
/// a windowed INSERT), and the index on <c>ipam_allocation (space_id, owner)</c> goes, since the unique
/// index on <c>(space_id, owner, request_key)</c> serves the same lookups by its leading columns. Each
/// allocation then writes one index entry fewer.
/// </summary>
internal static class SchemaV3
{
    public static Migration Migration { get; } = new(3, "ipam_allocate_next shrinks a free range in place; drop the redundant (space_id, owner) index",
        AllocateNextFunction.CreateOrReplace + """

        DROP INDEX IF EXISTS "{schema}".ipam_allocation_space_id_owner_idx;
        """);
}
