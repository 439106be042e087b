using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Store;

namespace Plue.Bench;

/// <summary>
/// <c>codex/list</c>'s page of one template and one tag among thousands of records (the Channels view's filter),
/// beside raw SQLite running the same query and reading every column: what the sidecar adds to a page of records.
/// </summary>
internal static class CodexListFigures
{
    private const int PageSize = 50;
    private const string Template = "ai-chat";
    private const string Tag = "bench";

    public static async Task AddAsync(BenchTargets targets, Figures figures, ChatSidecar chat, string home)
    {
        var count = targets.Rounds(5_000, 1_000);
        var path = Path.Combine(home, "plue.db");
        var records = new CodexRepository(new Database(path));
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            records.Write("create", null, new CodexRecord
            {
                Id = Guid.CreateVersion7().ToString(), TemplateId = Template, Collection = "chats", Slug = $"bench-list-{i}", Title = $"Bench list {i}",
                Fields = new JsonObject { ["instance_id"] = chat.InstanceId, ["model_id"] = ChatSidecar.Model, ["system_prompt"] = "You answer briefly." },
                Tags = i % 2 == 0 ? [Tag] : [], Version = 1, CreatedAt = now, UpdatedAt = now.AddMilliseconds(i),
            }, expectedVersion: null);
        }
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        await figures.CompareAsync($"codex/list, one template and tag, {PageSize} of {count:N0}", "ms", "raw SQLite, same query", targets.Rounds(40, 10), warmUp: 5,
            async () =>
            {
                var start = Stopwatch.GetTimestamp();
                var page = await chat.Peer.RequestAsync(Contract.CodexList, new CodexListParams { TemplateId = Template, Tags = [Tag], Limit = PageSize });
                if (page.Items.Count != PageSize) throw new InvalidOperationException($"codex/list gave {page.Items.Count} records, not {PageSize}");
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
