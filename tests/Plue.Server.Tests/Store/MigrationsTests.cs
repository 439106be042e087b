using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Store;
using Plue.Tests.Support;

namespace Plue.Tests.Store;

/// <summary>
/// Upgrades that cannot lose a session: a store at every earlier schema version (built from the migrations' own
/// history) with 2,500 chats and tasks is upgraded in one step, a copy kept first, every record readable and listed; a
/// store a newer Plue wrote is refused in the user's words and left byte for byte as it was.
/// </summary>
public sealed class MigrationsTests : IDisposable
{
    private const int Records = 2_500;
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    public static TheoryData<int> EarlierVersions()
    {
        var versions = new TheoryData<int>();
        for (var version = 1; version < Migrations.Latest; version++) versions.Add(version);
        return versions;
    }

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public void Upgrade_FromEveryEarlierVersion_KeepsEveryChatAndTaskReadableAndListed_AndACopyOfTheOldStore(int version)
    {
        var path = Path.Combine(_dir.Path, $"plue-{version}.db");
        using (var old = Raw(path))
        {
            Migrations.Apply(old, upTo: version);
            Fill(old);
        }

        var log = new RecordingLogger<Database>();
        var listed = ListAll(new CodexRepository(new Database(path, log)));

        Assert.Equal(Records, listed.Count);
        Assert.Equal(Records / 2, listed.Count(r => r.TemplateId == "task"));
        Assert.All(listed, r => Assert.StartsWith("Record ", r.Title, StringComparison.Ordinal));
        using (var upgraded = Raw(path)) Assert.Equal(Migrations.Latest, Migrations.UserVersion(upgraded));
        using var backup = Raw(Migrations.BackupPath(path, version));
        Assert.Equal(version, Migrations.UserVersion(backup));
        Assert.Equal(Records, Count(backup));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Migrations.BackupPath(path, version)));
        // The log says where the copy is, and that the upgrade ended.
        Assert.Equal(
            [$"Upgrading {path} from store version {version} to {Migrations.Latest}: a copy of it as it was is kept as {Migrations.BackupPath(path, version)} (the last {Migrations.KeptBackups} copies are kept; 0 older removed)"],
            log.Messages.Where(m => m.StartsWith("Upgrading ", StringComparison.Ordinal)));
        Assert.Single(log.Messages, m => m.StartsWith($"Upgraded {path} to store version {Migrations.Latest} in ", StringComparison.Ordinal));
    }

    [Fact]
    public void Upgrades_KeepTheLastThreeCopies_TheOlderOnesDeleted()
    {
        var path = Path.Combine(_dir.Path, "plue.db");
        var log = new RecordingLogger<Database>();
        for (var version = 1; version <= 7; version++)
        {
            using var store = Raw(path);
            Migrations.Apply(store, upTo: version, logger: log);
        }

        var kept = Directory.GetFiles(_dir.Path, "plue.db.v*.bak").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["plue.db.v4.bak", "plue.db.v5.bak", "plue.db.v6.bak"], kept);
        using var newest = Raw(Migrations.BackupPath(path, 6));
        Assert.Equal(6, Migrations.UserVersion(newest));
        // The log says where the copy is and how many are kept.
        Assert.Contains($"Upgrading {path} from store version 6 to 7: a copy of it as it was is kept as {Migrations.BackupPath(path, 6)} (the last 3 copies are kept; 1 older removed)", log.Messages);
    }

    /// <summary>
    /// Two windows (or a window and the command line) opening a new home at once: each migrates, one after the other,
    /// and the second finds the work done. Before, the second read the version before taking the lock and created the
    /// tables again ("table codices already exists"), which ended its store watcher.
    /// </summary>
    [Fact]
    public void TwoProcessesOpeningANewStoreAtOnce_BothGetTheLatestSchema_NeitherFails()
    {
        for (var round = 0; round < 20; round++)
        {
            var path = Path.Combine(_dir.Path, $"race-{round}.db");
            var stores = new[] { new Database(path), new Database(path) };
            using var start = new Barrier(stores.Length);
            var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
            var threads = stores.Select(store => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    using var connection = store.Open();
                    Assert.Equal(Migrations.Latest, Migrations.UserVersion(connection));
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Empty(failures.Select(e => e.Message));
        }
    }

    /// <summary>
    /// Two windows opening an old store at once after an update: one upgrades, the other finds it done, and the copy
    /// beside it is always of the old store, whole. Before, the second could copy the store the first had just upgraded
    /// over the first one's copy of the old.
    /// </summary>
    [Fact]
    public void TwoProcessesUpgradingAtOnce_TheCopyIsOfTheOldStore()
    {
        var pristine = Path.Combine(_dir.Path, "v2.db");
        using (var old = Raw(pristine))
        {
            Migrations.Apply(old, upTo: 2);
            Fill(old);
            Execute(old, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        for (var round = 0; round < 10; round++)
        {
            var path = Path.Combine(_dir.Path, $"upgrade-{round}.db");
            File.Copy(pristine, path);
            var stores = new[] { new Database(path), new Database(path) };
            using var start = new Barrier(stores.Length);
            var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
            var threads = stores.Select(store => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    using var connection = store.Open();
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Empty(failures.Select(e => e.Message));
            SqliteConnection.ClearAllPools();
            using (var copy = Raw(Migrations.BackupPath(path, 2)))
            {
                Assert.Equal(2, Migrations.UserVersion(copy));
                Assert.Equal(Records, Count(copy));
            }
            Assert.Empty(Directory.GetFiles(_dir.Path, "*.part"));
        }
    }

    /// <summary>
    /// kill -9 of the real command line (its sidecar migrating a version-1 store of 2,500 chats and tasks) at 20 points:
    /// the titles are long enough (a few hundred words each, as the search index built in the migration reads them)
    /// that the transaction lasts a while, measured once by letting a migration finish (from its log line Upgrading …
    /// to Upgraded …), then the kills land along it and a little past it, timed from the first line. The product has
    /// no pause of its own for this. The sidecar is the one the process suites run (PLUE_SIDECAR: the Native AOT build
    /// in CI), else this build's plue.dll. Each time the store is the old one, every record as it was, or the new one;
    /// never a half. Opened again, it upgrades, every record listed, and the copy of the old store is there.
    /// </summary>
    [Fact]
    public async Task KillDuringMigration_At20Points_LeavesTheOldStoreOrTheNew_NeverAHalf()
    {
        var pristine = Path.Combine(_dir.Path, "v1.db");
        using (var old = Raw(pristine))
        {
            Migrations.Apply(old, upTo: 1);
            Fill(old);
            Execute(old, "UPDATE codices SET title = title || ' ' || replace(hex(randomblob(300)), '0', ' ');");
            Execute(old, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        var shipped = Environment.GetEnvironmentVariable("PLUE_SIDECAR") is { Length: > 0 } chosen && File.Exists(chosen) ? chosen : null;
        var states = new List<int>();
        // The last point first: not killed, the migration finishes, as after an upgrade nobody interrupts; it says how long the transaction lasts here.
        var lasted = TimeSpan.Zero;
        foreach (var point in Enumerable.Range(0, 20).Select(p => (p + 19) % 20))
        {
            var home = Path.Combine(_dir.Path, $"home-{point}");
            Directory.CreateDirectory(home);
            var store = Path.Combine(home, "plue.db");
            File.Copy(pristine, store);
            var start = Cli(shipped, home, "sessions", "list", "--json");
            start.Environment["PLUE_LOG_LEVEL"] = "information";
            var backup = Migrations.BackupPath(store, 1);
            using var upgrading = new ManualResetEventSlim();
            using var upgraded = new ManualResetEventSlim();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var process = new System.Diagnostics.Process { StartInfo = start };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data?.Contains($"Upgrading {store} from store version 1 to {Migrations.Latest}: a copy of it as it was is kept as {backup}", StringComparison.Ordinal) == true)
                {
                    clock.Restart();
                    upgrading.Set();
                }
                if (e.Data?.Contains($"Upgraded {store} to store version {Migrations.Latest}", StringComparison.Ordinal) == true)
                {
                    clock.Stop();
                    upgraded.Set();
                }
            };
            process.OutputDataReceived += (_, _) => { };
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            // The copy is made and said before the transaction starts: from then on, kill at a point further along each time.
            Assert.True(upgrading.Wait(TimeSpan.FromSeconds(60)), $"point {point}: the sidecar never said it was upgrading");
            if (point == 19)
            {
                Assert.True(upgraded.Wait(TimeSpan.FromSeconds(60)), "the sidecar never said it had upgraded");
                lasted = clock.Elapsed;
            }
            else
            {
                Thread.Sleep(lasted * (point + 1) / 16);
                if (!process.HasExited) process.Kill();
            }
            process.WaitForExit();

            SqliteConnection.ClearAllPools();
            using (var after = Raw(store))
            {
                var version = Migrations.UserVersion(after);
                Assert.True(version is 1 || version == Migrations.Latest, $"point {point}: the store is at version {version}, half-way");
                Assert.Equal(Records, Count(after));
                if (version == Migrations.Latest) Assert.Equal(Records, ListAll(new CodexRepository(new Database(store))).Count);
                else Assert.False(Exists(after, "messages"), $"point {point}: the old store has a table of a later step");
                states.Add(version);
            }
            SqliteConnection.ClearAllPools();
            Assert.Equal(Records, ListAll(new CodexRepository(new Database(store))).Count);
            using (var copy = Raw(backup))
            {
                Assert.Equal(1, Migrations.UserVersion(copy));
                Assert.Equal(Records, Count(copy));
            }
        }
        // The points fell inside the migration (the old store left) and after it (the new one), not all on one side.
        Assert.Contains(1, states);
        Assert.Contains(Migrations.Latest, states);
        // Every chat and task readable where the user looks: the command line's lists, none of them unreadable.
        foreach (var (list, count) in new[] { (new[] { "sessions", "list", "--json" }, Records / 2), (new[] { "task", "list", "--json" }, Records / 2) })
        {
            using var cli = System.Diagnostics.Process.Start(Cli(shipped, Path.Combine(_dir.Path, "home-19"), list))!;
            var stdout = cli.StandardOutput.ReadToEndAsync();
            var stderr = cli.StandardError.ReadToEndAsync();
            await cli.WaitForExitAsync();
            Assert.True(cli.ExitCode == 0, $"plue {string.Join(' ', list)}: {await stderr}");
            using var shown = System.Text.Json.JsonDocument.Parse(await stdout);
            var items = shown.RootElement.EnumerateArray().ToList();
            Assert.Equal(count, items.Count);
            Assert.DoesNotContain(items, item => item.TryGetProperty("unreadable", out var why) && why.ValueKind != System.Text.Json.JsonValueKind.Null);
        }
    }

    /// <summary>The command line (the shipped sidecar when PLUE_SIDECAR names it) on <paramref name="home"/>, with an environment built here.</summary>
    private static System.Diagnostics.ProcessStartInfo Cli(string? shipped, string home, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(shipped ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (shipped is null) start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "plue.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "DOTNET_ROOT" })
            if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        start.Environment["PLUE_HOME"] = home;
        start.Environment["PLUE_KEYCHAIN"] = "off";
        start.Environment["PLUE_VAULT_KEY"] = Convert.ToBase64String(new byte[32]);
        return start;
    }

    private static bool Exists(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $t";
        command.Parameters.AddWithValue("$t", table);
        return (long)command.ExecuteScalar()! > 0;
    }

    [Fact]
    public void NewerStore_IsRefusedInTheUsersWords_AndLeftUnchanged()
    {
        var path = Path.Combine(_dir.Path, "plue.db");
        using (var newer = Raw(path))
        {
            Migrations.Apply(newer);
            Fill(newer);
            Execute(newer, $"PRAGMA user_version = {Migrations.Latest + 1}; PRAGMA wal_checkpoint(TRUNCATE);");
        }
        SqliteConnection.ClearAllPools();
        var before = SHA256.HashData(File.ReadAllBytes(path));
        var log = new RecordingLogger<Database>();
        var database = new Database(path, log);

        var error = Assert.Throws<RpcException>(() => new CodexRepository(database).List(new CodexQuery()));
        // Each later use answers the same, never an internal error.
        Assert.Throws<RpcException>(() => new CodexRepository(database).Get("chat-1"));

        Assert.Equal(PlueErrorCodes.StoreNewer, error.Code);
        Assert.Equal(Migrations.Latest + 1, error.Detail!.Value.GetProperty("version").GetInt32());
        Assert.Contains("saved by a newer version of Plue", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed. Update Plue", error.Message, StringComparison.Ordinal);
        Assert.Contains("export", error.Message, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.bak"));
        Assert.Empty(log.Messages);
    }

    /// <summary>
    /// No copy, no upgrade: when the copy of the old store cannot be written (here a folder in its place; a full disk
    /// does the same), the store is left as it was and the refusal says what to do; once the way is clear it upgrades.
    /// Before, SQLite's own "unable to open database file" came back as an internal error.
    /// </summary>
    [Fact]
    public void Upgrade_WhenTheCopyCannotBeWritten_ChangesNothing_SaysWhatToDo_AndUpgradesOnceItCan()
    {
        var path = Path.Combine(_dir.Path, "plue.db");
        using (var old = Raw(path))
        {
            Migrations.Apply(old, upTo: 2);
            Fill(old);
            Execute(old, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        var before = SHA256.HashData(File.ReadAllBytes(path));
        var backup = Migrations.BackupPath(path, 2);
        Directory.CreateDirectory(backup);
        var log = new RecordingLogger<Database>();
        var database = new Database(path, log);

        var error = Assert.Throws<RpcException>(() => new CodexRepository(database).List(new CodexQuery()));

        Assert.Equal(PlueErrorCodes.Conflict, error.Code);
        Assert.StartsWith($"Plue could not keep a copy of your chats and tasks ({path}) as {backup} before upgrading them to store version {Migrations.Latest} (", error.Message, StringComparison.Ordinal);
        Assert.Contains("so nothing was changed. Free some space on that disk or let Plue write in that folder", error.Message, StringComparison.Ordinal);
        Assert.Empty(log.Messages);
        SqliteConnection.ClearAllPools();
        using (var after = Raw(path)) Assert.Equal(2, Migrations.UserVersion(after));
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));

        Directory.Delete(backup);
        Assert.Equal(Records, ListAll(new CodexRepository(database)).Count);
        using var copy = Raw(backup);
        Assert.Equal(2, Migrations.UserVersion(copy));
    }

    [Fact]
    public void SearchIndex_OnAStoreWithChats_IsBuiltByTheMigration_AndKeptByLaterWrites()
    {
        var path = Path.Combine(_dir.Path, "plue-search.db");
        using (var old = Raw(path))
        {
            Migrations.Apply(old, upTo: 6);
            Fill(old);
            Execute(old, """
                INSERT INTO messages (id, session_id, seq, role, status, created_at, updated_at) VALUES
                    ('m1', 'chat-0', 0, 'user', 'complete', 1, 1), ('m2', 'chat-0', 1, 'assistant', 'complete', 2, 2),
                    ('m3', 'chat-2', 0, 'user', 'complete', 3, 3), ('m4', 'chat-2', 1, 'assistant', 'streaming', 4, 4);
                INSERT INTO parts (id, message_id, seq, kind, text) VALUES
                    ('p1', 'm1', 0, 'text', 'How do I parse arithmetic?'), ('p2', 'm2', 0, 'text', 'Use a recursive descent parser.'),
                    ('p3', 'm2', 1, 'reasoning', 'zebra thoughts stay out'), ('p4', 'm3', 0, 'text', 'Café au lait'),
                    ('p5', 'm4', 0, 'text', 'a streaming walrus');
                """);
        }

        using (var connection = new Database(path).Open())
        {
            Assert.Equal(Migrations.Latest, Migrations.UserVersion(connection));
            // Built from what was there: titles and finished messages' text, accents ignored; reasoning and a streaming answer not.
            Assert.Equal(["chat-0"], Matches(connection, "transcript_search", "\"recursive\" \"parser\"*"));
            Assert.Equal(["chat-2"], Matches(connection, "transcript_search", "\"cafe\""));
            Assert.Empty(Matches(connection, "transcript_search", "\"zebra\""));
            Assert.Empty(Matches(connection, "transcript_search", "\"walrus\""));
            Assert.Equal(["chat-4"], Matches(connection, "title_search", "\"Record\" \"4\""));

            // Kept by later writes: the answer ends, a message is added, a record renamed and deleted.
            Execute(connection, """
                UPDATE messages SET status = 'interrupted' WHERE id = 'm4';
                INSERT INTO messages (id, session_id, seq, role, status, created_at, updated_at) VALUES ('m5', 'chat-0', 2, 'user', 'complete', 5, 5);
                INSERT INTO parts (id, message_id, seq, kind, text) VALUES ('p6', 'm5', 0, 'text', 'and the lexer?');
                UPDATE codices SET title = 'Tokenizer notes' WHERE id = 'chat-6';
                UPDATE codices SET status = 'idle' WHERE id = 'chat-8';
                DELETE FROM codices WHERE id = 'chat-10';
                """);
            Assert.Equal(["chat-2"], Matches(connection, "transcript_search", "\"walrus\""));
            Assert.Equal(["chat-0"], Matches(connection, "transcript_search", "\"lexer\""));
            Assert.Equal(["chat-6"], Matches(connection, "title_search", "\"tokenizer\""));
            Assert.Empty(Matches(connection, "title_search", "\"Record\" \"6\""));
            Assert.Equal(["chat-8"], Matches(connection, "title_search", "\"Record\" \"8\""));
            Assert.Empty(Matches(connection, "title_search", "\"Record\" \"10\""));
        }
    }

    private static List<string> Matches(SqliteConnection connection, string table, string query)
    {
        using var command = connection.CreateCommand();
        var column = table == "title_search" ? "codex_id" : "session_id";
        command.CommandText = $"SELECT DISTINCT {column} FROM {table} WHERE {table} MATCH $q ORDER BY 1";
        command.Parameters.AddWithValue("$q", query);
        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    private static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Half chats, half tasks (of the shipped templates), written as version 1's columns (every later step keeps them).</summary>
    private static void Fill(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO codices (id, template_id, collection, slug, title, fields, tags, status, version, created_at, updated_at)
            VALUES ($id, $template, $collection, $id, $title, '{}', '[]', $status, 1, $at, $at);
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var template = insert.Parameters.Add("$template", SqliteType.Text);
        var collection = insert.Parameters.Add("$collection", SqliteType.Text);
        var title = insert.Parameters.Add("$title", SqliteType.Text);
        var status = insert.Parameters.Add("$status", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        for (var i = 0; i < Records; i++)
        {
            var task = i % 2 == 1;
            id.Value = $"{(task ? "task" : "chat")}-{i}";
            template.Value = task ? "task" : "ai-chat";
            collection.Value = task ? "tasks" : "chats";
            title.Value = $"Record {i}";
            status.Value = task ? "completed" : DBNull.Value;
            at.Value = 1_700_000_000_000L + i;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static List<CodexRecord> ListAll(CodexRepository repository)
    {
        var all = new List<CodexRecord>();
        string? cursor = null;
        do
        {
            var page = repository.List(new CodexQuery { Limit = 500, Cursor = cursor });
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    private static int Count(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM codices";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
