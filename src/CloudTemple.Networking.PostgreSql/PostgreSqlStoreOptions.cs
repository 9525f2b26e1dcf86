namespace CloudTemple.Networking.PostgreSql;

/// <summary>Settings shared by the PostgreSQL stores.</summary>
/// <remarks>Read when a store is created; changing an instance afterwards has no effect on that store.</remarks>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The database schema that holds the stores' tables (created when missing). Default <c>cloudtemple</c>.</summary>
    /// <remarks>Lower-case letters, digits and underscores, starting with a letter or underscore; at most 63 characters.</remarks>
    public string Schema { get; set; } = "cloudtemple";

    /// <summary>How many times one operation is run before a transient failure (dropped connection, serialization failure, deadlock) is surfaced. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The pause before the second attempt; it doubles for each further attempt, with jitter. Default 20 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>At most this many lease saves, or next-free allocations of one subnet, are served by one transaction (group commit). Default 256.</summary>
    public int MaxBatchSize { get; set; } = 256;

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
