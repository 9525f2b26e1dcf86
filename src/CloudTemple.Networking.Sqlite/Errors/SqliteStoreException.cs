using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// A SQLite store could not complete an operation for a reason outside the domain: the file cannot be
/// opened, the disk is full, the file is corrupt, or the database stayed locked through every attempt.
/// The operation's transaction was rolled back: nothing of it is stored.
/// </summary>
public sealed class SqliteStoreException : NetworkingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="operation">The store operation that failed.</param>
    /// <param name="attempts">How many times it was tried.</param>
    /// <param name="innerException">The SQLite error.</param>
    public SqliteStoreException(string path, string operation, int attempts, SqliteException innerException)
        : base(Describe(path, operation, attempts, innerException), innerException)
    {
        ArgumentNullException.ThrowIfNull(innerException);
        Path = path;
        Operation = operation;
        Attempts = attempts;
        SqliteErrorCode = innerException.SqliteErrorCode;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The store operation that failed (for example <c>AllocateAsync</c>).</summary>
    public string Operation { get; }

    /// <summary>How many times the operation was tried.</summary>
    public int Attempts { get; }

    /// <summary>The SQLite result code (5 = busy, 6 = locked, 13 = full, 11 = corrupt, ...).</summary>
    public int SqliteErrorCode { get; }

    /// <summary>Whether the file could not be opened (SQLite's CANTOPEN: a missing directory, no permission, a path through a file).</summary>
    public bool IsCannotOpen => (SqliteErrorCode & 0xff) == CannotOpen;

    /// <summary>Whether the database was busy or locked through every attempt (another writer held it too long), rather than failing outright.</summary>
    public bool IsBusy => (SqliteErrorCode & 0xff) is SqliteDatabase.Busy or SqliteDatabase.Locked;

    private const int CannotOpen = 14;

    private static string Describe(string path, string operation, int attempts, SqliteException? inner) =>
        inner is not null && (inner.SqliteErrorCode & 0xff) == CannotOpen
            ? $"SQLite store '{path}': the database file cannot be opened, so {operation} changed nothing: {inner.Message} " +
              "Check that its directory exists and that this process may create, read and write files there."
            : $"SQLite store '{path}': {operation} failed after {attempts} attempt(s) and changed nothing: {inner?.Message}";
}
