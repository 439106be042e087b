using System.Text.Json.Nodes;
using Plue.Tests.Fakes;

namespace Plue.Tests.Cli;

/// <summary><c>plue task</c>: a task run to its end in the command's process, its approvals asked on the terminal, and the tasks read back.</summary>
public sealed class CliTaskTests : IAsyncLifetime
{
    private readonly CliWorld _world = new();

    public Task InitializeAsync() => _world.AddInstanceAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static JsonObject Args(params (string Name, string Value)[] args) => new(args.Select(a => KeyValuePair.Create(a.Name, (JsonNode?)a.Value)));

    private static FakeResponse Write(string path, string content) => FakeOpenAIServer.ToolCalls(100, 10, ("call_w", "write", Args(("path", path), ("content", content))));

    private string ToolResult(string marker) =>
        _world.Fake.RequestsOf(marker)[1].Json["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();

    private static string IdOf(CliResult result) => JsonNode.Parse(result.Stdout)!["id"]!.GetValue<string>();

    [Fact]
    public async Task Run_FollowsTheTaskToItsEnd_ThenListAndShowReadItBack()
    {
        _world.Fake.Script("RUN-1", FakeOpenAIServer.Final("All done."));

        var run = await _world.RunAsync("task", "run", "task", "RUN-1: say done");
        var json = await _world.RunAsync("task", "list", "--json");
        var id = JsonNode.Parse(json.Stdout)!.AsArray().Single()!["id"]!.GetValue<string>();
        var listed = await _world.RunAsync("task", "list");
        var shown = await _world.RunAsync("task", "show", id);
        var shownJson = await _world.RunAsync("task", "show", id, "--json");

        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal("All done.\n", run.Stdout);
        Assert.Matches(@"RUN-1: say done: completed · .+ · \d+\.\ds\n$", run.Stderr);
        Assert.StartsWith("id\ttask\tstatus\tmodel\tcost\telapsed\n" + id + "\t", listed.Stdout);
        Assert.Contains("\tcompleted\tgpt-test\t", listed.Stdout);
        Assert.Contains(" · completed · gpt-test · ", shown.Stdout);
        Assert.Contains("Goal: RUN-1: say done\n", shown.Stdout);
        Assert.Contains("All done.", shown.Stdout);
        Assert.Equal("completed", JsonNode.Parse(shownJson.Stdout)!["task"]!["status"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse(shownJson.Stdout)!["messages"]!.AsArray().Count, shown.Stdout.Split("\n## ").Length - 1);
    }

    [Fact]
    public async Task AnApproval_WithNoTerminalToAsk_IsDenied_SoNothingRunsUnseen()
    {
        _world.Fake.Script("DENY-1", Write("secret.txt", "s3cret"), FakeOpenAIServer.Final("Nothing was written."));

        var run = await _world.RunAsync("task", "run", "task-code-writer", "DENY-1: write secret.txt", "--json");

        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal("completed", JsonNode.Parse(run.Stdout)!["status"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(_world.Workspace, "secret.txt")));
        Assert.Contains("Asked on a command line with no terminal to answer it.", ToolResult("DENY-1"));
    }

    [Fact]
    public async Task AlwaysForAPathGlob_OnTheTerminal_IsAGrantTheNextRunUsesWithoutAsking()
    {
        _world.Fake.Script("GLOB-1", Write("docs/a.md", "a"), FakeOpenAIServer.Final("Written."));
        _world.Fake.Script("GLOB-2", Write("docs/b.md", "b"), FakeOpenAIServer.Final("Written."));
        _world.Fake.Script("GLOB-3", Write("src/c.ts", "c"), FakeOpenAIServer.Final("Not written."));

        var first = await _world.RunAsync(new CliInput("p\n", Typed: true), "task", "run", "task-code-writer", "GLOB-1: write docs/a.md", "--trust");
        // No terminal to ask on: only a grant lets these through.
        var second = await _world.RunAsync("task", "run", "task-code-writer", "GLOB-2: write docs/b.md", "--trust");
        var third = await _world.RunAsync("task", "run", "task-code-writer", "GLOB-3: write src/c.ts", "--trust");

        Assert.True(first.Code == 0, first.ToString());
        Assert.Contains("[p] always write docs/** in this workspace", first.Stderr);
        Assert.True(File.Exists(Path.Combine(_world.Workspace, "docs", "b.md")), second.ToString());
        Assert.False(File.Exists(Path.Combine(_world.Workspace, "src", "c.ts")));
        Assert.Contains("Asked on a command line with no terminal to answer it.", ToolResult("GLOB-3"));
    }

    [Fact]
    public async Task AnApproval_IsAskedOnTheTerminal_ShowingTheWrite_AndAnswered()
    {
        _world.Fake.Script("ASK-1", Write("kept.txt", "first line\nsecond line"), FakeOpenAIServer.Final("Written."));
        _world.Fake.Script("ASK-2", Write("refused.txt", "no"), FakeOpenAIServer.Final("Not written."));

        var allowed = await _world.RunAsync(new CliInput("maybe\na\n", Typed: true), "task", "run", "task-code-writer", "ASK-1: write kept.txt", "--trust");
        var denied = await _world.RunAsync(new CliInput("d\nnot that file\n", Typed: true), "task", "run", "task-code-writer", "ASK-2: write refused.txt");

        Assert.True(allowed.Code == 0, allowed.ToString());
        Assert.Contains("The agent wants to run write:\n", allowed.Stdout);
        Assert.Contains("  kept.txt:\n  first line\n  second line\n", allowed.Stdout);
        Assert.Contains("[a]llow, allow for this [t]ask, always in this [w]orkspace, [d]eny: [a]llow", allowed.Stderr); // asked again after "maybe"
        Assert.Equal("first line\nsecond line", await File.ReadAllTextAsync(Path.Combine(_world.Workspace, "kept.txt")));
        Assert.True(denied.Code == 0, denied.ToString());
        Assert.Contains("A word to the agent (optional): ", denied.Stderr);
        Assert.False(File.Exists(Path.Combine(_world.Workspace, "refused.txt")));
        Assert.Contains("not that file", ToolResult("ASK-2"));
    }

    [Fact]
    public async Task ASpendCapReached_WithNoTerminalToRaiseIt_StopsTheTask_AndResumeWithAHigherCapCompletesIt()
    {
        // gpt-5: 100k in × $1.25 + 10k out × $10 per million = $0.225 a turn; a cap of $0.30 is passed after two.
        _world.Fake.Script("CAP-1",
            FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_1", "read", Args(("path", "notes.md")))),
            FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_2", "read", Args(("path", "notes.md")))),
            FakeOpenAIServer.Final("Read it twice.", 100_000, 10_000));

        var paused = await _world.RunAsync("task", "run", "task", "CAP-1: read notes.md", "-m", "gpt-5", "--spend-cap", "0.30", "--json");
        var id = IdOf(paused);
        var resumed = await _world.RunAsync("task", "resume", id, "--spend-cap", "1");

        Assert.Equal(1, paused.Code);
        Assert.Equal("cancelled", JsonNode.Parse(paused.Stdout)!["status"]!.GetValue<string>());
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Equal("Read it twice.\n", resumed.Stdout);
    }

    [Fact]
    public async Task ASpendCap_IsRaisedAtTheTerminal_AndTheTaskGoesOn_OrRefusedAndTheTaskStops()
    {
        _world.Fake.Script("CAP-2",
            FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_1", "read", Args(("path", "notes.md")))),
            FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_2", "read", Args(("path", "notes.md")))),
            FakeOpenAIServer.Final("Done within the new cap.", 100_000, 10_000));
        _world.Fake.Script("CAP-3",
            FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_1", "read", Args(("path", "notes.md")))),
            FakeOpenAIServer.ToolCalls(100_000, 10_000, ("call_2", "read", Args(("path", "notes.md")))),
            FakeOpenAIServer.Final("never sent", 100_000, 10_000));

        var raised = await _world.RunAsync(new CliInput("1\n", Typed: true), "task", "run", "task", "CAP-2: read notes.md", "-m", "gpt-5", "--spend-cap", "0.30");
        var stopped = await _world.RunAsync(new CliInput("n\n", Typed: true), "task", "run", "task", "CAP-3: read notes.md", "-m", "gpt-5", "--spend-cap", "0.30");

        Assert.True(raised.Code == 0, raised.ToString());
        Assert.Contains("The task reached its spend cap.\n", raised.Stdout);
        Assert.Contains("Raise the cap to (in $, empty to double it), or n to stop: ", raised.Stderr);
        Assert.Equal("Done within the new cap.\n", raised.Stdout.Split('\n')[^2] + "\n");
        Assert.Equal(1, stopped.Code);
        Assert.Contains("\nplue: CAP-3: read notes.md interrupted: Stopped at its spend cap", stopped.Stderr);
    }

    [Fact]
    public async Task BadInput_AnUnknownTemplateOrTask_OrACapThatIsNotAnAmount_IsRefusedWithExitCode2()
    {
        var template = await _world.RunAsync("task", "run", "nosuch", "do it");
        var cap = await _world.RunAsync("task", "run", "task", "do it", "--spend-cap", "NaN");
        var unknown = await _world.RunAsync("task", "show", "no-such-task");

        Assert.Equal(2, template.Code);
        Assert.StartsWith("plue: No template 'nosuch'. Task templates: task", template.Stderr);
        Assert.NotEqual(0, cap.Code);
        Assert.Contains("--spend-cap takes an amount in dollars, such as 5 or 2.50; 'NaN' is not one.", cap.Stderr);
        Assert.Equal(2, unknown.Code);
        Assert.StartsWith("plue: ", unknown.Stderr);
        Assert.DoesNotContain(_world.Fake.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task AFailedTask_ExitsWith1_SayingHowToSeeAndRerunIt_AndInterruptOfAnEndedOneTellsItsState()
    {
        _world.Fake.Script("FAIL-1", FakeResponse.Json(400, FakeOpenAIServer.ErrorBody("Bad request.", "invalid_request_error")));

        var run = await _world.RunAsync("task", "run", "task", "FAIL-1: fail");
        var id = JsonNode.Parse((await _world.RunAsync("task", "list", "--json")).Stdout)!.AsArray().Single()!["id"]!.GetValue<string>();
        var interrupted = await _world.RunAsync("task", "interrupt", id);

        Assert.Equal(1, run.Code);
        Assert.Matches(@"plue: .* failed", run.Stderr);
        Assert.Contains($"plue: `plue task show {id}` shows its transcript; `plue task resume {id}` runs it again from there.\n", run.Stderr);
        Assert.Contains(": failed", interrupted.Stdout + interrupted.Stderr);
    }
}
