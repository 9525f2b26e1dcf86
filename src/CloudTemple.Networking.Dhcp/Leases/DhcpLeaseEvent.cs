namespace CloudTemple.Networking.Dhcp;

/// <summary>One entry of the lease change feed (<see cref="DhcpLeaseEngine.Changes"/>).</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Lease">The lease record after the change.</param>
public sealed record DhcpLeaseEvent(DhcpLeaseEventKind Kind, DhcpLease Lease);
