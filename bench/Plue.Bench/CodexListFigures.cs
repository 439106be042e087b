using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Data.Sqlite;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Store;

namespace Plue.Bench;

/// <summary>
/// <c>codex/list</c>'s page of one template and one tag among thousands of records (the Channels view's filter),
/// beside raw SQLite running the same query and reading every column: what the sidecar adds to a page of records.
/// Both sides read what they get and build nothing from it: the floor each column's value, this client the answer's
/// JSON (parsed whole, its items counted), not records typed in this process: their deserialization here, none of the
/// sidecar's work, was about a fifth of the figure.
/// </summary>
internal static class CodexListFigures
{
    /// <summary><c>codex/list</c> with its answer read as JSON, not bound to the wire records.</summary>
    private static readonly RequestType<CodexListParams, JsonElement> s_listRead = new(Contract.CodexList.Name, () => Contract.CodexList.ParamsType,
        () => (JsonTypeInfo<JsonElement>)JsonSerializerOptions.Default.GetTypeInfo(typeof(JsonElement)));

    private const int PageSize = 50;
    private const string Template = "ai-chat";
    private const string Tag = "bench";

    public static async Task AddAsync(BenchTargets targets, Figures figures, ChatSidecar chat, string home)
    {
        var count = targets.Rounds(5_000, 1_000);
        var path = Path.Combine(home, "plue.db");
        var records = new CodexRepository(new Database(path));
        var now = DateTimeOffset.UtcNow;
        var told = chat.Changes;
        for (var i = 0; i < count; i++)
        {
            records.Write("create", null, new CodexRecord
            {
                Id = Guid.CreateVersion7().ToString(), TemplateId = Template, Collection = "chats", Slug = $"bench-list-{i}", Title = $"Bench list {i}",
                Fields = new JsonObject { ["instance_id"] = chat.InstanceId, ["model_id"] = ChatSidecar.Model, ["system_prompt"] = "You answer briefly." },
                Tags = i % 2 == 0 ? [Tag] : [], Version = 1, CreatedAt = now, UpdatedAt = now.AddMilliseconds(i),
            }, expectedVersion: null);
        }
        // The sidecar tells its client of every record written here, another process to it (its store watcher reads them
        // and sends each one's view): the page is measured once that is done, not while it competes with thousands of them.
        var waited = Stopwatch.StartNew();
        while (chat.Changes - told < count && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
        Console.WriteLine($"codex/list: the sidecar told the {count:N0} records written beside it in {waited.Elapsed.TotalSeconds:F1} s ({chat.Changes - told:N0} codex/changed)");
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        await chat.QuietAsync();
        await figures.CompareAsync($"codex/list, one template and tag, {PageSize} of {count:N0}", "ms", "raw SQLite, same query", targets.Rounds(40, 30), warmUp: 5,
            async () =>
            {
                var start = Stopwatch.GetTimestamp();
                var page = await chat.Peer.RequestAsync(s_listRead, new CodexListParams { TemplateId = Template, Tags = [Tag], Limit = PageSize });
                var items = page.GetProperty("items").GetArrayLength();
                if (items != PageSize) throw new InvalidOperationException($"codex/list gave {items} records, not {PageSize}");
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            },
            () =>
            {
                var start = Stopwatch.GetTimestamp();
                RawPage(connection);
                return Task.FromResult(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }, "≤ 2×");
    }

    /// <summary>The sidecar's query for that page, every column read, nothing built from it.</summary>
    private static void RawPage(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, template_id, collection, slug, title, fields, tags, parent_id, spawned_by, status, version, created_at, updated_at " +
            "FROM codices c WHERE template_id IN ($t0) AND EXISTS (SELECT 1 FROM codex_tags g WHERE g.tag = $tag0 AND g.codex_id = c.id) " +
            "ORDER BY updated_at DESC, id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$t0", Template);
        command.Parameters.AddWithValue("$tag0", Tag);
        command.Parameters.AddWithValue("$limit", PageSize + 1);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            for (var c = 0; c < reader.FieldCount; c++) _ = reader.GetValue(c);
    }
}
