using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Tests.Support;

namespace Plue.Tests.Sessions;

/// <summary>
/// A chat or task whose row in a real plue.db cannot be read (its fields written over with what is not JSON) is listed
/// as unreadable with its id, beside every other, never dropped and never the whole list's failure; opening it says
/// why and what to do, and nothing writes over it.
/// </summary>
public sealed class UnreadableRecordsTests : IAsyncLifetime
{
    private ChatWorld _world = null!;

    public async Task InitializeAsync() => _world = await ChatWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private void Corrupt(string id)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_world.Home, "plue.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE codices SET fields = '{\"goal\": not json', tags = 'nor this' WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public async Task ACorruptedChatRow_IsListedAsUnreadableWithItsId_AndTheOthersStillAre()
    {
        var second = await _world.CreateChatAsync(title: "Second");
        var third = await _world.CreateChatAsync(title: "Third");

        Corrupt(second);
        var listed = (await _world.Rpc.CallAsync("session/list", new JsonObject()))!.AsArray();

        Assert.Equal([third, second, _world.SessionId], listed.Select(s => s!["id"]!.GetValue<string>()));
        var unreadable = listed.Single(s => s!["id"]!.GetValue<string>() == second)!;
        Assert.Equal("Second", unreadable["title"]!.GetValue<string>());
        Assert.Contains($"The chat {second} cannot be read: its stored fields or tags are not JSON", unreadable["unreadable"]!.GetValue<string>());
        Assert.All(listed.Where(s => s!["id"]!.GetValue<string>() != second), s => Assert.Null(s!["unreadable"]));

        var opened = await Assert.ThrowsAsync<RpcCallException>(() => _world.SessionAsync(second));
        Assert.Equal(-33002, opened.Code);
        Assert.Contains("cannot be read", opened.Message);
        Assert.Contains("restore plue.db from a backup", opened.Message);
        var renamed = await Assert.ThrowsAsync<RpcCallException>(() => _world.Rpc.CallAsync("session/rename", new JsonObject { ["id"] = second, ["title"] = "Over it" }));
        Assert.Equal(-33002, renamed.Code);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_world.Home, "plue.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT fields FROM codices WHERE id = $id";
        command.Parameters.AddWithValue("$id", second);
        Assert.Equal("{\"goal\": not json", command.ExecuteScalar()); // left as it was, for a repair
    }

    [Fact]
    public async Task ACorruptedTaskRow_IsListedAsUnreadableWithItsId()
    {
        var codex = _world.Service<CodexService>();
        var ids = Enumerable.Range(0, 3).Select(i => codex.Create(new CodexDraft
        {
            TemplateId = "task", Title = $"Task {i}", Status = "running",
            Fields = new JsonObject { ["goal"] = $"goal {i}", ["provider_ref"] = "env:openai", ["model_id"] = "gpt-test" },
        }, byFeature: true).Id).ToList();

        Corrupt(ids[1]);
        _world.Service<Plue.Agents.TaskRecovery>().Recover(); // as a new sidecar does: the dead runs are marked stopped
        var listed = (await _world.Rpc.CallAsync("task/list", new JsonObject()))!.AsArray();

        // Listed by creation time, then id: three made in one millisecond may come in any order, so each is found by id.
        Assert.Equal(ids.Order(), listed.Select(t => t!["id"]!.GetValue<string>()).Order());
        JsonNode Listed(int i) => listed.Single(t => t!["id"]!.GetValue<string>() == ids[i])!;
        Assert.Contains($"The task {ids[1]} cannot be read", Listed(1)["unreadable"]!.GetValue<string>());
        Assert.Null(Listed(0)["unreadable"]);
        // The dead runs were marked stopped, past the unreadable one, which is left as it is.
        Assert.Equal("cancelled", Listed(0)["status"]!.GetValue<string>());
        Assert.Equal("cancelled", Listed(2)["status"]!.GetValue<string>());
        Assert.Equal("running", Listed(1)["status"]!.GetValue<string>());
    }
}
