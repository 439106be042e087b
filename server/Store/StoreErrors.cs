using Microsoft.Data.Sqlite;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Store;

/// <summary>The store's failures a user can do something about, in their words rather than SQLite's.</summary>
public static class StoreErrors
{
    private const int Busy = 5; // SQLITE_BUSY: another connection holds the lock past busy_timeout
    private const int Locked = 6; // SQLITE_LOCKED

    /// <summary>A store held by another process past the wait: -33002 saying what to do; null for anything else.</summary>
    public static RpcException? Explain(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SqliteException { SqliteErrorCode: Busy or Locked })
                return PlueErrors.Conflict("Plue's store (plue.db in the Plue home) is held by another process and stayed locked, so this was not done: "
                    + "a program that opened it (sqlite3, a backup or sync tool) or a Plue stuck on it. Close that program, or wait for it, then try again.");
        }
        return null;
    }
}
