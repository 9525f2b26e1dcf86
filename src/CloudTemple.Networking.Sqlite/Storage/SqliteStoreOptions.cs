using System.ComponentModel.DataAnnotations;

namespace CloudTemple.Networking.Sqlite;

/// <summary>Where a SQLite store keeps its file and how long it waits for the database's write lock.</summary>
/// <remarks>
/// Set before the store is created; the store reads it once (a reload of a configuration section does not move a
/// running store). Bound from configuration by <c>UseSqlite(configuration.GetSection("Storage:Sqlite"))</c> on the IPAM
/// or DHCP builder: keys <c>Path</c>, <c>BusyTimeout</c> (<c>"00:00:05"</c>) and <c>MaxAttempts</c>.
/// </remarks>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file (created with its folder's permissions when missing). Several stores and processes may share it.</summary>
    [Required]
    public string Path { get; set; } = string.Empty;

    /// <summary>How long one attempt waits for another connection's write transaction (SQLite <c>busy_timeout</c>). Default 5 s; zero to one hour.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times an operation is tried when the database stays busy or locked beyond <see cref="BusyTimeout"/>. Default 3; 1 to 100.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Path);
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1);
    }
}
