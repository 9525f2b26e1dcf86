using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Ipam;

// The DataAnnotations rules of IpamOptions (ranges, required values), checked by code the options generator writes.
[OptionsValidator]
internal sealed partial class IpamOptionsAnnotations : IValidateOptions<IpamOptions>;
