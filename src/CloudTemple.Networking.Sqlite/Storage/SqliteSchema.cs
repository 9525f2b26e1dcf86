namespace CloudTemple.Networking.Sqlite;

/// <summary>
/// Creates and migrates a store's tables. Each store (IPAM, leases) is a component with numbered
/// scripts; <c>schema_migrations</c> records which ran. The check and the scripts run in one
/// <c>BEGIN IMMEDIATE</c> transaction, so two processes opening a new file at once apply each script
/// exactly once (the second waits, then sees it done), and a failed script leaves the previous version.
/// </summary>
internal static class SqliteSchema
{
    public static async ValueTask EnsureAsync(SqliteDatabase database, string component, IReadOnlyList<string> scripts, CancellationToken cancellationToken)
    {
        // WAL: readers never block the writer nor the writer the readers; persistent in the file.
        string? mode = await database.PragmaAsync("open", "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite store '{database.Path}': the file does not accept WAL journal mode (it is '{mode}').");
        }

        await database.WriteAsync("migrate", session =>
        {
            session.Execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version)) WITHOUT ROWID;");
            long current = session.Int64("SELECT max(version) FROM schema_migrations WHERE component = $c;", ("$c", component)) ?? 0;
            if (current > scripts.Count)
            {
                throw new InvalidOperationException(
                    $"SQLite store '{database.Path}': the {component} schema is at version {current}, newer than this library knows ({scripts.Count}).");
            }

            for (int version = (int)current + 1; version <= scripts.Count; version++)
            {
                session.Execute(scripts[version - 1]);
                session.Execute(
                    "INSERT INTO schema_migrations (component, version, applied_at) VALUES ($c, $v, $t);",
                    ("$c", component), ("$v", version), ("$t", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            }

            return current;
        }, cancellationToken).ConfigureAwait(false);
    }
}
