using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Dhcp;

// The DataAnnotations rules of DhcpServerOptions and of its subnets and reservations (ranges and formats), checked by
// code the options generator writes; DhcpServerOptionsValidator runs it before the rules that involve several values.
[OptionsValidator]
internal sealed partial class DhcpServerOptionsAnnotations : IValidateOptions<DhcpServerOptions>;
