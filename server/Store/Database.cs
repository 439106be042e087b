using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Plue.Store;

/// <summary>
/// The one SQLite store (PLUE_HOME/plue.db) shared by every window and the command line.
/// WAL lets readers run beside a writer; busy_timeout makes writers from several
/// processes wait for each other instead of failing.
/// </summary>
public sealed class Database
{
    private readonly Lazy<string> _path;
    private readonly Lazy<string> _connectionString;
    private readonly ILogger? _logger;
    private int _migrated;
    // The SQLite connections (pooled, used again) whose settings are made; gone with them when the pool lets them go.
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _setUp = new();
    private static readonly object s_setUp = new();

    public Database(string path, ILogger? logger = null) : this(() => path, logger) { }

    /// <summary>The path is asked for at first use: PLUE_HOME is known only once the client initializes.</summary>
    /// <param name="logger">Where an upgrade of the store is said (the copy kept before it).</param>
    public Database(Func<string> path, ILogger? logger = null)
    {
        _path = new Lazy<string>(path);
        _logger = logger;
        _connectionString = new Lazy<string>(() => new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString());
    }

    public string Path => _path.Value;

    /// <summary>An open connection, the schema brought up to date on first use.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString.Value);
        connection.Open();
        // A connection taken from the pool again keeps its settings: they are set once per SQLite connection, not by
        // three statements prepared and run at every use.
        if (!_setUp.TryGetValue(connection.Handle!, out _))
        {
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
                pragma.ExecuteNonQuery();
            }
            _setUp.AddOrUpdate(connection.Handle!, s_setUp);
        }
        try
        {
            if (Volatile.Read(ref _migrated) == 0) MigrateOnce(connection);
        }
        catch
        {
            connection.Dispose(); // a store refused (newer, no room for its copy) is asked again at every use
            throw;
        }
        return connection;
    }

    private void MigrateOnce(SqliteConnection connection)
    {
        lock (this)
        {
            if (_migrated != 0) return;
            var created = !File.Exists(Path) || new FileInfo(Path).Length == 0;
            Migrations.Apply(connection, logger: _logger);
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
