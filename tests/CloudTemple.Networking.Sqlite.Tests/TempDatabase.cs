using Microsoft.Data.Sqlite;

namespace CloudTemple.Networking.Sqlite.Tests;

/// <summary>A database file in a fresh temporary folder, deleted with the folder on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("ctn-sqlite-").FullName;
        Path = System.IO.Path.Combine(Folder, "store.db");
    }

    public string Folder { get; }

    public string Path { get; }

    public void Dispose()
    {
        // Pooled connections keep the file open; close them before deleting.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
