using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Sqlite;

// The DataAnnotations rules of SqliteStoreOptions, checked by code the options generator writes.
[OptionsValidator]
internal sealed partial class SqliteStoreOptionsAnnotations : IValidateOptions<SqliteStoreOptions>;
