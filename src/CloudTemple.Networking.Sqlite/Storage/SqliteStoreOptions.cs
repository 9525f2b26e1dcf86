namespace CloudTemple.Networking.Sqlite;

/// <summary>Where a SQLite store keeps its file and how long it waits for the database's write lock.</summary>
/// <remarks>Set before the store is created; the store reads it once.</remarks>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file (created with its folder's permissions when missing). Several stores and processes may share it.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>How long one attempt waits for another connection's write transaction (SQLite <c>busy_timeout</c>). Default 5 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times an operation is tried when the database stays busy or locked beyond <see cref="BusyTimeout"/>. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Path);
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1);
    }
}
