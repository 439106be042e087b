using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Shell;
using Plue.Checkpoints;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Store;
using Plue.Tests.Support;
using Plue.Transcripts;
using Plue.Workspace;
using Xunit;

namespace Plue.Tests.Checkpoints;

/// <summary>The checkpoint store over a real workspace folder, a real git and a real SQLite transcript.</summary>
public sealed class CheckpointStoreTests : IDisposable
{
    private const string Chat = "chat1";
    private readonly TempDir _home = new();
    private readonly TempDir _workspace = new();
    private readonly MessageStore _messages;
    private readonly CheckpointOwners _owners;
    private readonly CheckpointStore _store;
    private readonly CheckpointRestorer _restorer;
    private int _seq;

    public CheckpointStoreTests()
    {
        var session = new WorkspaceContext();
        session.Initialize(_home.Path, [_workspace.Path], trusted: true);
        var database = new Database(Path.Combine(_home.Path, "plue.db"));
        _messages = new MessageStore(database, TestMeters.Shared);
        _owners = new CheckpointOwners(database);
        _store = new CheckpointStore(session, _owners, NullLogger<CheckpointStore>.Instance);
        _restorer = new CheckpointRestorer(_store, _owners, _messages);
    }

    public void Dispose()
    {
        _home.Dispose();
        _workspace.Dispose();
    }

    [Fact]
    public async Task Restore_FilesBashChangedAndDeleted_PutBackAsBeforeTheTurn()
    {
        Write("keep.txt", "one\n");
        Write("gone.txt", "deleted by bash\n");
        var question = Ask("change things");
        await Bash("echo two >> keep.txt && rm gone.txt && echo new > made.txt");

        var turn = Assert.Single(_store.List(Chat).Checkpoints);
        Assert.Equal(question, turn.MessageId);
        Assert.Equal(["gone.txt", "keep.txt", "made.txt"], turn.Files.Select(f => f.Path));
        Assert.Equal((1, 1, 1), (turn.Added, turn.Modified, turn.Deleted));
        var diff = await _store.DiffAsync(Chat, turn.Id, "keep.txt", default);
        Assert.Equal(("one\n", "one\ntwo\n"), (diff.Before, diff.After));
        Assert.Contains("+two", diff.Patch, StringComparison.Ordinal);

        var result = await Restore(question, files: true);

        Assert.True(result.Restored);
        Assert.Equal("one\n", Read("keep.txt"));
        Assert.Equal("deleted by bash\n", Read("gone.txt"));
        Assert.False(File.Exists(Path.Combine(_workspace.Path, "made.txt")));
    }

    [Fact]
    public async Task Diff_PathOutsideTheWorkspace_IsRefusedInWordsWithoutTheHomesGitFolder()
    {
        Write("keep.txt", "one\n");
        Ask("change a file");
        await Bash("echo two >> keep.txt");
        var turn = Assert.Single(_store.List(Chat).Checkpoints);

        // Issue 46: git's own refusal came back as -32603, naming the shadow repository in the home.
        foreach (var outside in new[] { "../outside.txt", "/etc/passwd", "sub/../../x" })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => _store.DiffAsync(Chat, turn.Id, outside, default));
            Assert.Equal(ErrorCodes.InvalidParams, error.Code);
            Assert.StartsWith($"{outside} is not a path inside the workspace", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(_home.Path, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Restore_BinaryFile_BytesComeBackExactly()
    {
        byte[] original = [0, 1, 2, 255, 0, 10, 13, 0];
        File.WriteAllBytes(Path.Combine(_workspace.Path, "image.bin"), original);
        var question = Ask("overwrite the image");
        await Bash("printf 'x\\0y' > image.bin");

        var diff = await _store.DiffAsync(Chat, _store.List(Chat).Checkpoints[0].Id, "image.bin", default);
        Assert.True(diff.Binary);
        await Restore(question, files: true);

        Assert.Equal(original, File.ReadAllBytes(Path.Combine(_workspace.Path, "image.bin")));
    }

    [Fact]
    public async Task Restore_FileTheUserEditedAfterTheTurn_IsAskedForAndItsRestoreIsUndoable()
    {
        Write("a.txt", "base\n");
        var question = Ask("edit a");
        await Bash("echo agent > a.txt");
        Write("a.txt", "the user's\n");

        var refused = await Restore(question, files: true);

        // Nothing is written until the user says so.
        Assert.False(refused.Restored);
        Assert.Equal(["a.txt"], refused.Conflicts);
        Assert.Equal("the user's\n", Read("a.txt"));

        var forced = await _restorer.RestoreAsync(new CheckpointRestoreParams { SessionId = Chat, MessageId = question, Force = true }, default);
        Assert.True(forced.Restored);
        Assert.Equal("base\n", Read("a.txt"));

        // The restore recorded the user's version first: restoring to its checkpoint brings it back.
        var undone = await _restorer.RestoreAsync(new CheckpointRestoreParams { SessionId = Chat, CheckpointId = forced.UndoCheckpointId }, default);
        Assert.True(undone.Restored);
        Assert.Equal("the user's\n", Read("a.txt"));
    }

    [Fact]
    public async Task Restore_Conversation_DropsTheMessageAndLaterOnesAndGivesItsText()
    {
        Ask("first");
        Write("f.txt", "1\n");
        var second = Ask("second");
        await Bash("echo 2 > f.txt");
        Ask("third");

        var result = await Restore(second, files: true, conversation: true);

        Assert.Equal("second", result.Text);
        Assert.Equal(["first"], _messages.Messages(Chat).Select(m => ((TextPart)m.Parts[0]).Text));
        Assert.Equal("1\n", Read("f.txt"));
    }

    [Fact]
    public async Task Restore_MessageSentInTheMillisecondTheTurnBeforeEnded_KeepsThatTurnsChanges()
    {
        Ask("first");
        await Bash("echo 1 > f.txt");
        // The next message is stamped with the very millisecond the first turn's change was recorded in (or earlier,
        // as a clock set back would): the first turn is still before it.
        var second = Ask("second", DateTimeOffset.FromUnixTimeMilliseconds(Assert.Single(Entries()).At));
        await Bash("echo 2 > f.txt");

        await Restore(second, files: true);

        Assert.Equal("1\n", Read("f.txt"));
    }

    [Fact]
    public async Task Restore_OrchestratorsMessage_RestoresItsSubTasksChanges()
    {
        // Linked as the task runner links them: each sub-task names the task that spawned it.
        using (var connection = new Database(Path.Combine(_home.Path, "plue.db")).Open())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO codices (id, template_id, collection, slug, title, fields, tags, spawned_by, version, created_at, updated_at) VALUES " +
                "('sub1', 't', 'tasks', 'sub1', 'Sub', '{}', '[]', 'chat1', 1, 0, 0), ('sub2', 't', 'tasks', 'sub2', 'Sub', '{}', '[]', 'sub1', 1, 0, 0)";
            insert.ExecuteNonQuery();
        }
        var goal = Ask("plan");
        await Bash("echo sub > by-sub.txt", owner: "sub2");
        await Bash("echo one > by-first.txt", owner: "sub1");

        // The orchestrator's view shows them as its goal's turn: the checkpoint its panel offers to restore.
        var turn = Assert.Single(_store.List(Chat).Checkpoints);
        Assert.Equal(goal, turn.MessageId);
        Assert.Equal(["by-first.txt", "by-sub.txt"], turn.Files.Select(f => f.Path));
        await Restore(goal, files: true);

        Assert.False(File.Exists(Path.Combine(_workspace.Path, "by-sub.txt")));
        Assert.False(File.Exists(Path.Combine(_workspace.Path, "by-first.txt")));
    }

    [Fact]
    public async Task List_AThousandTurns_ListsEachAndRestoresAcrossThem()
    {
        // One real change gives two real trees; the log then holds a thousand turns between them, as a long chat's would.
        Write("n.txt", "0\n");
        var first = Ask("turn 0");
        await Bash("echo 1 > n.txt");
        var real = Assert.Single(Entries());
        var log = new CheckpointLog(Path.GetDirectoryName(LogPath())!);
        for (var i = 1; i < 1000; i++)
        {
            var message = Ask($"turn {i}");
            log.Append(real with { Id = $"t{i:D4}", MessageId = message, At = real.At + i, Files = [$"M f{i}.txt", "M n.txt"] });
        }

        var turns = _store.List(Chat).Checkpoints;
        Assert.Equal(1000, turns.Count);
        Assert.Equal(2, turns[999].Modified);

        var result = await Restore(first, files: true);
        Assert.True(result.Restored);
        Assert.Equal("0\n", Read("n.txt"));
    }

    [Fact]
    public async Task Restore_NeitherFilesNorConversation_IsRefusedAndChangesNothing()
    {
        var question = Ask("q");
        await Bash("echo x > x.txt");
        var error = await Assert.ThrowsAsync<Plue.Rpc.RpcException>(() => _restorer.RestoreAsync(
            new CheckpointRestoreParams { SessionId = Chat, MessageId = question, Files = false }, default));
        Assert.Contains("files, conversation or both", error.Message, StringComparison.Ordinal);
        Assert.Equal("x\n", Read("x.txt"));
    }

    private Task<CheckpointRestoreResult> Restore(string messageId, bool files, bool conversation = false) =>
        _restorer.RestoreAsync(new CheckpointRestoreParams { SessionId = Chat, MessageId = messageId, Files = files, Conversation = conversation }, default);

    private string Ask(string text, DateTimeOffset? at = null)
    {
        var id = $"m{_seq}";
        _messages.InsertMessage(new SessionMessage
        {
            Id = id, SessionId = Chat, Seq = _seq, Role = MessageRole.User, Status = MessageStatus.Complete,
            Parts = [new TextPart { Id = id + "p", Text = text }], CreatedAt = at ?? DateTimeOffset.UtcNow,
        }, owner: null);
        _seq++;
        return id;
    }

    private Task<ToolResult> Bash(string command, string owner = Chat) =>
        _store.RecordAsync(owner, CheckpointStore.Turn, () => new BashTool().RunAsync(
            JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["command"] = command }),
            new ToolContext { TaskId = owner, WorkspaceFolders = [_workspace.Path] }, default), default);

    private string LogPath() => Directory.GetFiles(Path.Combine(_home.Path, "checkpoints"), Chat + ".jsonl", SearchOption.AllDirectories).Single();

    private List<CheckpointEntry> Entries() => new CheckpointLog(Path.GetDirectoryName(LogPath())!).Read(Chat);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_workspace.Path, name), text);

    private string Read(string name) => File.ReadAllText(Path.Combine(_workspace.Path, name));
}
