using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Routing;

// The DataAnnotations rules of VpcRoutingOptions, checked by code the options generator writes.
[OptionsValidator]
internal sealed partial class VpcRoutingOptionsAnnotations : IValidateOptions<VpcRoutingOptions>;
