using Microsoft.Data.Sqlite;
using Plue.Store;
using Plue.Tests.Support;

namespace Plue.Tests.Store;

public sealed class DatabaseTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void AConnection_NewOrTakenFromThePoolAgain_OrAfterThePoolWasCleared_HasTheStoresSettings()
    {
        var database = new Database(Path.Combine(_dir.Path, "plue.db"));
        for (var use = 0; use < 3; use++)
        {
            // The idle trim clears the pools: the connection after it is a new one and is set up again.
            if (use == 2) SqliteConnection.ClearAllPools();
            using var connection = database.Open();
            Assert.Equal(10_000L, Pragma(connection, "busy_timeout"));
            Assert.Equal(1L, Pragma(connection, "foreign_keys"));
            Assert.Equal(1L, Pragma(connection, "synchronous")); // NORMAL
        }
    }

    private static long Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return (long)command.ExecuteScalar()!;
    }
}
