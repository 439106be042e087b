using System.Text;
using Plue.Jobs;

namespace Plue.Tests.Cli;

/// <summary>Item 3 of issue 72: a task bundle's task.json as <c>plue job run</c> reads it; what it cannot run is said in one line.</summary>
public sealed class JobTaskTests
{
    private const string Good = """
        {
          "version": 1,
          "brief": "Add a test",
          "model": { "provider": "openai", "id": "gpt-test", "endpoint": "http://127.0.0.1:9/v1", "timeout_ms": 30000 },
          "tools": ["read", "write", "bash"],
          "rules": [{ "tool": "bash", "command_prefix": "npm test" }, { "tool": "bash", "command_prefix": "npm publish", "decision": "deny" }],
          "sandbox": "sandbox-workspace-write",
          "spend_cap_usd": 0.5,
          // comments and trailing commas are allowed, as in the rules files
        }
        """;

    private static JobTask Parse(string json) => JobTaskReader.Parse(Encoding.UTF8.GetBytes(json));

    private static string Refusal(string json) => Assert.Throws<JobTaskException>(() => Parse(json)).Message;

    [Fact]
    public void Item3_AWellMadeTaskJson_IsReadWhole()
    {
        var task = Parse(Good);
        Assert.Equal(("Add a test", "openai", "gpt-test", 30000), (task.Brief, task.Model!.Provider, task.Model.Id, task.Model.TimeoutMs));
        Assert.Equal(["read", "write", "bash"], task.Tools);
        Assert.Equal(("npm publish", "deny"), (task.Rules![1].CommandPrefix, task.Rules[1].Decision));
        Assert.Equal(0.5m, task.SpendCapUsd);
        Assert.Null(task.Resume);
    }

    [Theory]
    [InlineData("{", "task.json is not a task bundle's: not what was expected")]
    [InlineData("""{"version": 1, "brief": "x", "model": {"provider": "openai", "id": "m"}, "api_key": "sk-1"}""", "task.json is not a task bundle's: an unknown field at api_key; write it as docs/JOB-EVENTS.md shows.")]
    [InlineData("""{"version": 1, "brief": "x", "model": {"provider": "openai", "id": "m"}, "spend_cap_usd": "lots"}""", "task.json is not a task bundle's: not what was expected at spend_cap_usd; write it as docs/JOB-EVENTS.md shows.")]
    [InlineData("null", "task.json is empty: write it as docs/JOB-EVENTS.md shows.")]
    [InlineData("""{"version": 2, "brief": "x"}""", "task.json is version 2, this plue reads version 1: use the plue that made the bundle.")]
    [InlineData("""{"version": 1, "brief": " ", "model": {"provider": "openai", "id": "m"}}""", "task.json has no brief: say what the sub-task must achieve.")]
    [InlineData("""{"version": 1, "brief": "x", "model": {"provider": "openai"}}""", "task.json names no model: give model.provider (such as openai) and model.id.")]
    [InlineData("""{"version": 1, "brief": "x", "model": {"provider": "openai", "id": "m", "endpoint": "ftp://x"}}""", "task.json's model endpoint 'ftp://x' is not an http or https address.")]
    [InlineData("""{"version": 1, "brief": "x", "model": {"provider": "openai", "id": "m"}, "tools": ["spawn_task"]}""", "task.json names the tool 'spawn_task', which a job cannot use: use read, search, write, edit, bash.")]
    [InlineData("""{"version": 1, "brief": "x", "model": {"provider": "openai", "id": "m"}, "rules": [{"decision": "allow"}]}""", "task.json has a rule without a tool: each rule names one (bash, write, edit).")]
    [InlineData("""{"version": 1, "brief": "x", "model": {"provider": "openai", "id": "m"}, "rules": [{"tool": "bash", "decision": "ask"}]}""", "task.json has a rule for bash whose decision is 'ask': use allow or deny.")]
    [InlineData("""{"version": 1, "brief": "x", "model": {"provider": "openai", "id": "m"}, "spend_cap_usd": -1}""", "task.json's spend_cap_usd is below zero: give this job's share of the cap in dollars.")]
    [InlineData("""{"version": 1, "brief": "x", "model": {"provider": "openai", "id": "m"}, "resume": {"transcript": "t.json", "answer": "allow"}}""", "task.json's resume needs both the transcript and the state the paused job sent.")]
    [InlineData("""{"version": 1, "brief": "x", "model": {"provider": "openai", "id": "m"}, "resume": {"transcript": "t.json", "state": "s.bundle", "answer": "maybe"}}""", "task.json's resume needs the answer to the call it stopped at: allow or deny.")]
    [InlineData("""{"version": 1, "brief": "x", "model": {"provider": "openai", "id": "m"}, "resume": {"transcript": "../t.json", "state": "s.bundle", "answer": "allow"}}""", "task.json's resume names '../t.json': name a file in the bundle folder, without a folder.")]
    public void Item3_ATaskJsonThatCannotRun_IsRefusedInOneLineSayingWhatToChange(string json, string expected)
    {
        var message = Refusal(json);
        Assert.StartsWith(expected, message);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain("sk-1", message);
    }
}
