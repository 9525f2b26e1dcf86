namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// The function <c>ipam_allocate_next</c>: next-free and random allocation as a server-side function (the
/// store's only path for them, the one-by-one fallback included), so that a
/// batch of next-free requests is one statement, one round trip and one implicit transaction (the commit
/// travels with the call). The subnet's row lock is then held for the function's work and the commit's
/// WAL flush only, not for client round trips. The work is set-based: whatever the batch size, the free
/// ranges are read once, rewritten once (the touched ranges minus the taken segments; in the usual
/// sequential case one range shrinks in place), and the allocations are one INSERT. The function
/// changes nothing when the subnet does not exist.
/// </summary>
/// <remarks>
/// Result rows, one per request in request order (<c>r_idx</c> from 1), with <c>r_kind</c>:
/// 0 newly allocated; 1 the allocation already held under the request's (owner, request key);
/// 2 committed by an earlier attempt of the same operation (a re-run after a lost reply);
/// 3 the subnet has no free address left. A single row with <c>r_kind</c> -1 means no such subnet.
/// <c>p_start</c> NULL allocates from the subnet's cursor and moves it; an offset starts the search there
/// and leaves the cursor (random allocation). Hold expiry is judged at the earliest of <c>p_times</c>, the
/// callers' clock, through <c>ipam_end_expired_holds</c>; the database's own clock is never used.
/// </remarks>
internal static class AllocateNextFunction
{
    /// <summary>
    /// The current text of the IPAM functions (<c>ipam_end_expired_holds</c> and <c>ipam_allocate_next</c>), as
    /// <c>CREATE OR REPLACE</c>, from the embedded resource <c>Schema/ipam_functions.sql</c>, read once. Every
    /// migration that changes a function runs this text, so only the newest version is kept: a schema at any
    /// earlier version ends with it.
    /// </summary>
    public static string CreateOrReplace { get; } = Read();

    private static string Read()
    {
        const string name = "CloudTemple.Networking.PostgreSql.Schema.ipam_functions.sql";
        using var stream = typeof(AllocateNextFunction).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from the package.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
