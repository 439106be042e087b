using Microsoft.Data.Sqlite;

namespace Plue.Store;

/// <summary>
/// The one SQLite store (PLUE_HOME/plue.db) shared by every window and the command line.
/// WAL lets readers run beside a writer; busy_timeout makes writers from several
/// processes wait for each other instead of failing.
/// </summary>
public sealed class Database
{
    private readonly string _connectionString;
    private int _migrated;

    public Database(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>An open connection, the schema brought up to date on first use.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
        }
        if (Volatile.Read(ref _migrated) == 0) MigrateOnce(connection);
        return connection;
    }

    private void MigrateOnce(SqliteConnection connection)
    {
        lock (this)
        {
            if (_migrated != 0) return;
            var created = !File.Exists(Path) || new FileInfo(Path).Length == 0;
            Migrations.Apply(connection);
            if (created && !OperatingSystem.IsWindows())
            {
                // The database holds chats and settings: private to the user, like everything in PLUE_HOME.
                foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
                    if (File.Exists(file)) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            _migrated = 1;
        }
    }
}
