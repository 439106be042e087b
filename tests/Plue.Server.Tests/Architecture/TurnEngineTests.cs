using Plue.Tests.Support;

namespace Plue.Tests.Architecture;

/// <summary>
/// A chat's turn and a task's run are one loop (server/Turns, CONTRIBUTING.md "Adding a turn feature"): each agent hook
/// event, the Stop hook's bounded continuation, the scoped instructions a tool call brings in and the loop's tool round
/// are written once, in Turns/, and so are the checks before each call: compaction when the conversation nears its
/// window, and the spend cap (checked, and counted as each call streams). The chat's and the task's runners keep only
/// what is theirs. Checkpoints are taken per change, by the tool runner both share, and when a task's changes are applied.
/// </summary>
public sealed class TurnEngineTests
{
    /// <summary>Each spelling, and the only folders or files that may hold it (several: separated by commas).</summary>
    private static readonly (string Code, string Home)[] s_writtenOnce =
    [
        // An agent hook event is built by TurnHooks only: SessionStart, UserPromptSubmit, Stop, PreToolUse, PostToolUse.
        ("new AgentHookCall(", "Turns/"),
        ("new(hookEvent, ", "Turns/"),
        ("AgentHookTurns.StopReason(", "Turns/"),
        ("AgentHookTurns.MaxStopContinuations", "Turns/"),
        // The scoped instructions a tool call touched.
        ("ScopedInstructions.Touched(", "Turns/"),
        // The loop's tool round and Stop hooks.
        (".RunToolCallsAsync(", "Turns/"),
        ("hooks.StopAsync(", "Turns/"),
        ("hooks.PromptAsync(", "Turns/"),
        // Compaction when due: whether a call would pass the window, for chats and tasks alike.
        ("compaction.Due(", "Turns/"),
        ("compaction.IfDueAsync(", "Turns/"),
        // The spend cap: checked before each call and after a stopped one, each call counted as it streams; SpendCaps
        // reaches a turn only through the task's ITurnCap.
        // A task's own place asks it too, where a container is at stake and not the loop: no new container while its
        // tree is over its cap, and no tool of a crossing answer run in a container the cap just stopped.
        ("Cap?.Reached()", "Turns/,Agents/TaskTurn.cs"),
        ("cap?.Begin()", "Turns/"),
        ("caps.Begin(", "Agents/TaskCap.cs"),
        // Checkpoints: each change a tool makes in the workspace, and a task's changes applied; never an owner's own.
        ("CheckpointStore.Turn", "Checkpoints/,Agents/Tools/ToolRunner.cs,Agents/TaskChanges.cs"),
    ];

    [Fact]
    public void HookScopedInstructionCompactionAndCapCalls_LiveOnlyInTurns()
    {
        var copies = new List<string>();
        foreach (var (relative, lines) in ServerFiles())
            for (var i = 0; i < lines.Length; i++)
                foreach (var (code, home) in s_writtenOnce)
                    if (lines[i].Contains(code, StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal)
                        && !home.Split(',').Any(h => relative.StartsWith(h, StringComparison.Ordinal)))
                        copies.Add($"server/{relative}:{i + 1}: {code.Trim()} (it lives in server/{home})");
        Assert.True(copies.Count == 0, "a second copy of the turn engine's work; call server/Turns instead:\n" + string.Join("\n", copies));
    }

    [Fact]
    public void TheEngine_IsUsedByBothRunners()
    {
        foreach (var runner in new[] { "Sessions/ChatTurnRunner.cs", "Agents/TaskRunner.cs" })
            Assert.Contains("engine.RunAsync(", File.ReadAllText(Path.Combine(RepoPaths.Root, "server", runner)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sessions/ChatTurnRunner.cs")]
    [InlineData("Agents/TaskRunner.cs")]
    public void Runners_StayUnder300Lines(string runner)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "server", runner)).Length;
        Assert.True(lines < 300, $"server/{runner} has {lines} lines: what every turn does goes in server/Turns, what only this owner does in its owner class (ChatTurn, TaskTurn)");
    }

    internal static IEnumerable<(string Relative, string[] Lines)> ServerFiles()
    {
        var server = Path.Combine(RepoPaths.Root, "server");
        foreach (var file in Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(server, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
            yield return (relative, File.ReadAllLines(file));
        }
    }
}
