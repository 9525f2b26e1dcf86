using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace CloudTemple.Networking.Ipam;

/// <summary>
/// Which addresses of every subnet are never allocated: a number of addresses at the start
/// (network address, gateway, DNS, ...) and at the end (broadcast). Presets follow the clouds
/// users know; a custom policy takes any counts.
/// </summary>
/// <remarks>
/// A policy that reserves as many addresses as a subnet holds cannot apply to it: carving such a
/// subnet throws <see cref="ArgumentException"/>, except /31 and /32, where every policy reserves
/// nothing (point-to-point links, RFC 3021, and host routes). In configuration a preset is named by its name in any
/// case (<c>"DefaultReservedAddresses": "aws"</c>); an unknown name lists the presets. Immutable and thread-safe.
/// </remarks>
[TypeConverter(typeof(ReservedAddressPolicyConverter))]
public sealed record ReservedAddressPolicy
{
    private readonly string[] _startRoles;
    private readonly string[] _endRoles;

    /// <summary>Creates a custom policy.</summary>
    /// <param name="name">A name shown in errors and listings.</param>
    /// <param name="reservedAtStart">How many addresses are reserved from the network address on.</param>
    /// <param name="reservedAtEnd">How many addresses are reserved up to the last address.</param>
    public ReservedAddressPolicy(string name, int reservedAtStart, int reservedAtEnd)
        : this(name, Roles(reservedAtStart, "reserved"), Roles(reservedAtEnd, "reserved"))
    {
    }

    private ReservedAddressPolicy(string name, string[] startRoles, string[] endRoles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _startRoles = startRoles;
        _endRoles = endRoles;
    }

    /// <summary>Nothing reserved: every address can be allocated.</summary>
    public static ReservedAddressPolicy None { get; } = new("None", [], []);

    /// <summary>The network address, the first host (the gateway: the VPC router) and the last address (broadcast): 3 addresses.</summary>
    public static ReservedAddressPolicy Default { get; } = new("Default", ["network address", "gateway"], ["broadcast address"]);

    /// <summary>AWS VPC: .0 network, .1 VPC router, .2 DNS, .3 reserved for future use, and the last address: 5 addresses.</summary>
    public static ReservedAddressPolicy Aws { get; } =
        new("Aws", ["network address", "VPC router", "DNS server", "reserved for future use"], ["broadcast address"]);

    /// <summary>Azure virtual network: .0 network, .1 default gateway, .2 and .3 Azure DNS, and the last address: 5 addresses.</summary>
    public static ReservedAddressPolicy Azure { get; } =
        new("Azure", ["network address", "default gateway", "Azure DNS", "Azure DNS"], ["broadcast address"]);

    /// <summary>OVN logical switch IPAM: the network address and the broadcast address: 2 addresses.</summary>
    public static ReservedAddressPolicy Ovn { get; } = new("Ovn", ["network address"], ["broadcast address"]);

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>How many addresses are reserved from the network address on.</summary>
    public int ReservedAtStart => _startRoles.Length;

    /// <summary>How many addresses are reserved up to the last address.</summary>
    public int ReservedAtEnd => _endRoles.Length;

    /// <summary>Whether the first host address is reserved as the subnet's gateway.</summary>
    public bool ReservesGateway => ReservedAtStart >= 2;

    /// <summary>Finds a preset by name (None, Default, Aws, Azure, Ovn), ignoring case.</summary>
    /// <param name="name">The preset name.</param>
    /// <returns>The preset.</returns>
    /// <exception cref="ArgumentException">No preset has that name.</exception>
    public static ReservedAddressPolicy FromName(string name) =>
        TryFromName(name, out var policy) ? policy : throw new ArgumentException(UnknownName(name), nameof(name));

    internal static bool TryFromName(string? name, [NotNullWhen(true)] out ReservedAddressPolicy? policy)
    {
        policy = name?.ToUpperInvariant() switch
        {
            "NONE" => None,
            "DEFAULT" => Default,
            "AWS" => Aws,
            "AZURE" => Azure,
            "OVN" => Ovn,
            _ => null,
        };
        return policy is not null;
    }

    internal static string UnknownName(string? name) =>
        $"'{name}' is not a reserved-address preset (None, Default, Aws, Azure, Ovn).";

    /// <summary>Whether the policy reserves the address at <paramref name="offset"/> of a subnet of <paramref name="size"/> addresses.</summary>
    /// <param name="offset">The address's offset from the network address.</param>
    /// <param name="size">The subnet's number of addresses.</param>
    /// <returns><see langword="true"/> when the address is reserved.</returns>
    public bool IsReserved(ulong offset, ulong size) =>
        AppliesTo(size) && (offset < (ulong)ReservedAtStart || offset >= size - (ulong)ReservedAtEnd);

    /// <summary>Why the address at <paramref name="offset"/> is reserved (for example "gateway"), or null when it is not.</summary>
    /// <param name="offset">The address's offset from the network address.</param>
    /// <param name="size">The subnet's number of addresses.</param>
    /// <returns>The role, or null.</returns>
    public string? RoleOf(ulong offset, ulong size)
    {
        if (!IsReserved(offset, size))
        {
            return null;
        }

        return offset < (ulong)ReservedAtStart ? _startRoles[offset] : _endRoles[size - 1 - offset];
    }

    /// <summary>How many addresses the policy reserves in a subnet of <paramref name="size"/> addresses.</summary>
    /// <param name="size">The subnet's number of addresses.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentException">The subnet is too small for the policy.</exception>
    public int ReservedCount(ulong size)
    {
        ThrowIfTooSmall(size);
        return AppliesTo(size) ? ReservedAtStart + ReservedAtEnd : 0;
    }

    /// <summary>Throws when a subnet of <paramref name="size"/> addresses leaves nothing to allocate under this policy.</summary>
    /// <param name="size">The subnet's number of addresses.</param>
    /// <exception cref="ArgumentException">The subnet is too small for the policy.</exception>
    public void ThrowIfTooSmall(ulong size)
    {
        if (size > 2 && size <= (ulong)(ReservedAtStart + ReservedAtEnd))
        {
            throw new ArgumentException(
                $"The reserved-address policy {Name} reserves {ReservedAtStart + ReservedAtEnd} addresses; a subnet of {size} addresses would have none left.");
        }
    }

    /// <inheritdoc/>
    public bool Equals(ReservedAddressPolicy? other) =>
        other is not null && Name == other.Name && ReservedAtStart == other.ReservedAtStart && ReservedAtEnd == other.ReservedAtEnd;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, ReservedAtStart, ReservedAtEnd);

    /// <summary>The name and counts, for example <c>Aws (4 + 1)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name} ({ReservedAtStart} + {ReservedAtEnd})";

    private bool AppliesTo(ulong size) => size > 2 && size > (ulong)(ReservedAtStart + ReservedAtEnd);

    private static string[] Roles(int count, string role)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Enumerable.Repeat(role, count).ToArray();
    }
}
