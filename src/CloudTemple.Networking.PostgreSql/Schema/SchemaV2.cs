namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// Version 2: next-free allocation as the server-side function <c>ipam_allocate_next</c> (see
/// <see cref="AllocateNextFunction"/>), created in its current text.
/// </summary>
internal static class SchemaV2
{
    public static Migration Migration { get; } = new(2, "ipam_allocate_next: next-free allocation of a batch in one statement", AllocateNextFunction.CreateOrReplace);
}
