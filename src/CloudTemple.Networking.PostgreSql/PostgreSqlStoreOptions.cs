using System.ComponentModel.DataAnnotations;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>Settings shared by the PostgreSQL stores.</summary>
/// <remarks>
/// Read when a store is created; changing an instance afterwards has no effect on that store (nor does a reload of a
/// configuration section). Bound from configuration by <c>UsePostgreSql(configuration.GetSection("Storage:PostgreSql"))</c>
/// on the IPAM or DHCP builder: keys <c>ConnectionString</c>, <c>Schema</c>, <c>MaxAttempts</c>, <c>RetryDelay</c>
/// (<c>"00:00:00.020"</c>) and <c>MaxBatchSize</c>.
/// </remarks>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The database schema that holds the stores' tables (created when missing). Default <c>cloudtemple</c>.</summary>
    /// <remarks>Lower-case letters, digits and underscores, starting with a letter or underscore; at most 63 characters.</remarks>
    [Required]
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "The field {0} must be a schema name: lower-case letters, digits and underscores, starting with a letter or underscore, at most 63.")]
    public string Schema { get; set; } = "cloudtemple";

    /// <summary>How many times one operation is run before a transient failure (dropped connection, serialization failure, deadlock) is surfaced. Default 5; 1 to 100.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The pause before the second attempt; it doubles for each further attempt, with jitter. Default 20 ms; zero to one minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>At most this many lease saves, or next-free allocations of one subnet, are served by one transaction (group commit). Default 256; 1 to 65536.</summary>
    [Range(1, 65536)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// The Npgsql connection string used by <c>UsePostgreSql(IConfiguration)</c>, where it is required; the other
    /// <c>UsePostgreSql</c> overloads and the stores' constructors take theirs as an argument and ignore this one.
    /// </summary>
    public string? ConnectionString { get; set; }

    internal PostgreSqlStoreOptions Validated()
    {
        if (Schema is null || Schema.Length is 0 or > 63 || !(char.IsAsciiLetterLower(Schema[0]) || Schema[0] == '_')
            || !Schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{Schema}' is not a valid schema name (lower-case letters, digits, underscores; at most 63).", nameof(Schema));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        return new PostgreSqlStoreOptions { Schema = Schema, MaxAttempts = MaxAttempts, RetryDelay = RetryDelay, MaxBatchSize = MaxBatchSize };
    }
}
