using Npgsql;

namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// Brings the schema to the newest version: one transaction holding a transaction-scoped advisory
/// lock (so that two hosts starting at once take turns), a <c>schema_migrations</c> table recording
/// each applied version, and only the missing versions applied. Running it again is a no-op.
/// </summary>
/// <remarks>Thread-safe: a store migrates once; concurrent first calls share the same run.</remarks>
internal sealed class SchemaMigrator
{
    private readonly Lock _gate = new();
    private Task? _done;

    /// <summary>The versions this package knows, applied in order.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } = [SchemaV1.Migration, SchemaV2.Migration, SchemaV3.Migration, SchemaV4.Migration];

    public static int LatestVersion => Migrations[^1].Version;

    public Task EnsureAsync(TransactionRunner runner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A failed run is forgotten, so that the next operation tries again.
            if (_done is null || _done.IsFaulted || _done.IsCanceled)
            {
                _done = MigrateAsync(runner.DataSource, runner.Schema, CancellationToken.None);
            }

            return _done.IsCompletedSuccessfully ? Task.CompletedTask : _done.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Applies the missing migrations; returns the versions it applied.</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await MigrateOnceAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (TransactionRunner.IsTransient(e) && attempt < 5 && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                throw new PostgreSqlStoreException("schema migration", attempt, TransactionRunner.IsTransient(e), e);
            }
        }
    }

    private static async Task<IReadOnlyList<int>> MigrateOnceAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Keyed by schema name: hosts migrating different schemas of one database do not wait for each other.
                await Sql.ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtextextended('cloudtemple.networking.migrations:' || $1, 0))", cancellationToken, schema).ConfigureAwait(false);
                await Sql.ExecuteAsync(connection, $"""
                    CREATE SCHEMA IF NOT EXISTS "{schema}";
                    CREATE TABLE IF NOT EXISTS "{schema}".schema_migrations (
                        version integer PRIMARY KEY,
                        description text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now());
                    """, cancellationToken).ConfigureAwait(false);
                var applied = (await Sql.ListAsync(connection, $"""SELECT version FROM "{schema}".schema_migrations""", r => r.GetInt32(0), cancellationToken).ConfigureAwait(false)).ToHashSet();

                int newest = applied.Count == 0 ? 0 : applied.Max();
                if (newest > LatestVersion)
                {
                    throw new InvalidOperationException(
                        $"The schema \"{schema}\" is at version {newest}, newer than this package knows ({LatestVersion}): upgrade CloudTemple.Networking.PostgreSql.");
                }

                var done = new List<int>();
                foreach (var migration in Migrations.Where(m => !applied.Contains(m.Version)))
                {
                    await Sql.ExecuteAsync(connection, migration.Script.Replace("{schema}", schema, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
                    await Sql.ExecuteAsync(connection, $"""INSERT INTO "{schema}".schema_migrations (version, description) VALUES ($1, $2)""", cancellationToken, migration.Version, migration.Description).ConfigureAwait(false);
                    done.Add(migration.Version);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return done;
            }
        }
    }
}
