using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// Chat and task lists have no silent limit: 1,200 chats (100 archived) are all listed, newest first, and a client
/// can read them in pages (<c>limit</c>, <c>after</c>: the last id of the previous page) with none lost or repeated.
/// </summary>
public sealed class ListPagingTests : IAsyncLifetime
{
    private const int Chats = 1_200;
    private const int Archived = 100;
    private ChatWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await ChatWorld.StartAsync();
        var codex = _world.Service<CodexService>();
        var fields = codex.Get(_world.SessionId).Fields;
        for (var i = 1; i < Chats; i++)
        {
            codex.Create(new CodexDraft
            {
                TemplateId = "ai-chat", Title = $"Chat {i}", Fields = (JsonObject)fields.DeepClone(), Status = i <= Archived ? "archived" : "idle",
            }, byFeature: true);
        }
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<string[]> IdsAsync(string method, JsonObject query) =>
        [.. (await _world.Rpc.CallAsync(method, query))!.AsArray().Select(s => s!["id"]!.GetValue<string>())];

    [Fact]
    public async Task SessionList_1200Chats_ListsEveryOne_OpenAndArchivedApart()
    {
        var open = await IdsAsync("session/list", []);
        var archived = await IdsAsync("session/list", new JsonObject { ["archived"] = true });

        Assert.Equal(Chats - Archived, open.Length);
        Assert.Equal(Archived, archived.Length);
        Assert.Equal(Chats, open.Concat(archived).Distinct().Count());
        Assert.Contains(_world.SessionId, open); // the first chat made, the last listed
        Assert.Equal(_world.SessionId, open[^1]);
    }

    [Fact]
    public async Task SessionList_InPages_ReadsTheSameListWithNoneLostOrRepeated()
    {
        var whole = await IdsAsync("session/list", []);
        var paged = new List<string>();
        var pages = new List<int>();
        for (string? after = null; pages.Count < 10;)
        {
            var query = new JsonObject { ["limit"] = 500 };
            if (after is not null) query["after"] = after;
            var page = await IdsAsync("session/list", query);
            pages.Add(page.Length);
            paged.AddRange(page);
            if (page.Length < 500) break;
            after = page[^1];
        }

        Assert.Equal([500, 500, Chats - Archived - 1000], pages);
        // Pages go by id (creation order, which no change moves); the whole list is told last changed first.
        Assert.Equal(paged.Count, paged.Distinct().Count());
        Assert.Equal(whole.Order(StringComparer.Ordinal), paged.Order(StringComparer.Ordinal));
        Assert.Equal(paged, paged.OrderDescending(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Lists_ALimitOutOfRangeOrAnUnknownAfter_AreRefusedSayingWhatToDo()
    {
        foreach (var (method, query) in new[]
        {
            ("session/list", new JsonObject { ["limit"] = 0 }), ("session/list", new JsonObject { ["limit"] = 1001 }), ("task/list", new JsonObject { ["limit"] = 0 }),
        })
        {
            var refused = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync(method, query));
            Assert.Equal(-32602, refused.Code);
            Assert.Contains("limit must be 1 to 1000", refused.Message);
        }
        // A chat list's pages go by id, so any id is a place to go on from (a chat deleted since, too); a task list's need the task.
        var unknown = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("task/list", new JsonObject { ["limit"] = 5, ["after"] = "no-such-task" }));
        Assert.Equal(-32602, unknown.Code);
        Assert.Contains("list again from the start", unknown.Message);
    }

    [Fact]
    public async Task TaskList_InPages_OldestFirstWithNoneLostOrRepeated()
    {
        var codex = _world.Service<CodexService>();
        for (var i = 0; i < 7; i++)
        {
            codex.Create(new CodexDraft
            {
                TemplateId = "task", Title = $"Task {i}", Status = "completed",
                Fields = new JsonObject { ["goal"] = $"goal {i}", ["provider_ref"] = "env:openai", ["model_id"] = "gpt-test" },
            }, byFeature: true);
        }
        var whole = await IdsAsync("task/list", []);
        var first = await IdsAsync("task/list", new JsonObject { ["limit"] = 3 });
        var second = await IdsAsync("task/list", new JsonObject { ["limit"] = 3, ["after"] = first[^1] });
        var third = await IdsAsync("task/list", new JsonObject { ["limit"] = 3, ["after"] = second[^1] });

        Assert.Equal(7, whole.Length);
        Assert.Equal(whole, first.Concat(second).Concat(third).ToArray());
        Assert.Single(third);
    }
}
