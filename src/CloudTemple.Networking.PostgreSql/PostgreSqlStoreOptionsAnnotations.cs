using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.PostgreSql;

// The DataAnnotations rules of PostgreSqlStoreOptions, checked by code the options generator writes.
[OptionsValidator]
internal sealed partial class PostgreSqlStoreOptionsAnnotations : IValidateOptions<PostgreSqlStoreOptions>;
