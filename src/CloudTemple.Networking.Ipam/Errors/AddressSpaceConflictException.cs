using System.Globalization;

namespace CloudTemple.Networking.Ipam;

/// <summary>
/// <see cref="IIpamStore.EnsureSpaceAsync"/> found an address space of that name with another
/// definition; the message names every field that differs.
/// </summary>
public sealed class AddressSpaceConflictException : IpamException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="existing">The stored definition.</param>
    /// <param name="requested">The definition that was asked for.</param>
    public AddressSpaceConflictException(AddressSpace existing, AddressSpace requested)
        : this(existing, requested, Differences(existing, requested))
    {
    }

    private AddressSpaceConflictException(AddressSpace existing, AddressSpace requested, IReadOnlyList<string> differences)
        : base($"Address space '{requested.Name}' exists with another definition: {string.Join("; ", differences)}.")
    {
        Existing = existing;
        Requested = requested;
        Difference = differences;
    }

    /// <summary>The address space's name.</summary>
    public string Space => Requested.Name;

    /// <summary>The stored definition.</summary>
    public AddressSpace Existing { get; }

    /// <summary>The definition that was asked for.</summary>
    public AddressSpace Requested { get; }

    /// <summary>One line per differing field, such as <c>pools 10.0.0.0/16 stored, 10.1.0.0/16 requested</c>.</summary>
    public IReadOnlyList<string> Difference { get; }

    private static string[] Differences(AddressSpace existing, AddressSpace requested)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(requested);
        var lines = new List<string>();
        if (!existing.Pools.SequenceEqual(requested.Pools))
        {
            lines.Add($"pools {Pools(existing)} stored, {Pools(requested)} requested");
        }

        if (existing.ReuseHold != requested.ReuseHold)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"reuse hold {existing.ReuseHold} stored, {requested.ReuseHold} requested"));
        }

        if (!Equals(existing.DefaultReservedAddresses, requested.DefaultReservedAddresses))
        {
            lines.Add($"default reserved addresses {Policy(existing)} stored, {Policy(requested)} requested");
        }

        return [.. lines];

        static string Pools(AddressSpace space) => space.Pools.Count == 0 ? "(none)" : string.Join(", ", space.Pools);

        static string Policy(AddressSpace space) => space.DefaultReservedAddresses?.ToString() ?? "(none)";
    }
}
