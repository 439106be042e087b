using System.Text.Json;
using System.Text.RegularExpressions;
using Plue.Agents;
using Plue.Protocol;
using Plue.Sessions;
using Plue.Tests.Support;

namespace Plue.Tests.Architecture;

/// <summary>
/// Knowledge a kind owns is written once: a chat's and a task's status names live in their kind's status class and in
/// the contract's enums (whose names they are), nowhere else as free strings; the fields a task's runner writes are
/// the task template's <c>feature-written</c> ones, with no list of them beside the template.
/// </summary>
public sealed partial class WrittenOnceTests
{
    /// <summary>The files a status name may be spelled in: the kinds' status classes, and the contract (its enums).</summary>
    private static readonly string[] s_statusHomes = ["Agents/TaskStatuses.cs", "Sessions/ChatStatuses.cs", "Protocol/"];

    [Fact]
    public void StatusNames_AreSpelledOnlyInTheirKindAndTheContract()
    {
        string[] names = [TaskStatuses.Queued, TaskStatuses.Paused, TaskStatuses.WaitingApproval, ChatStatuses.Idle, ChatStatuses.Archived];
        var server = Path.Combine(RepoPaths.Root, "server");
        var copies = new List<string>();
        foreach (var file in Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(server, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal) || s_statusHomes.Any(relative.StartsWith)) continue;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                foreach (var name in names)
                    if (lines[i].Contains($"\"{name}\"", StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
                        copies.Add($"server/{relative}:{i + 1}: \"{name}\"");
        }
        Assert.True(copies.Count == 0, "a status name spelled outside its kind's status class (use TaskStatuses, ChatStatuses or the contract's enum):\n" + string.Join("\n", copies));
    }

    [Fact]
    public void StoredStatuses_AreTheWireNames()
    {
        foreach (var status in new[] { TaskStatuses.Queued, TaskStatuses.Running, TaskStatuses.WaitingApproval, TaskStatuses.Paused, TaskStatuses.Completed, TaskStatuses.Failed, TaskStatuses.Cancelled })
            Assert.Equal($"\"{status}\"", JsonSerializer.Serialize(TaskStatuses.ToWire(status), PlueJsonContext.Default.AgentTaskStatus));
        Assert.Equal($"\"{ChatStatuses.Idle}\"", JsonSerializer.Serialize(ChatStatuses.ToWire(ChatStatuses.Idle, turnRunning: false), PlueJsonContext.Default.SessionStatus));
        Assert.Equal($"\"{ChatStatuses.Archived}\"", JsonSerializer.Serialize(ChatStatuses.ToWire(ChatStatuses.Archived, turnRunning: true), PlueJsonContext.Default.SessionStatus));
        Assert.Equal("\"active\"", JsonSerializer.Serialize(ChatStatuses.ToWire(ChatStatuses.Idle, turnRunning: true), PlueJsonContext.Default.SessionStatus));
    }

    [Fact]
    public void TaskRunnerFields_AreListedOnlyByTheTemplate()
    {
        // A list of the runner's fields beside the template (TaskFields.RunnerWritten was one) drifts from the template's
        // role: "feature-written"; FeatureWritten.Names reads the template instead.
        var agents = Path.Combine(RepoPaths.Root, "server", "Agents");
        var lists = Directory.EnumerateFiles(agents, "*.cs", SearchOption.AllDirectories)
            .Where(f => RunnerFieldList().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f)).ToList();
        Assert.True(lists.Count == 0, "a list of the task runner's fields beside the task template: " + string.Join(", ", lists));
    }

    /// <summary>Two or more of the runner's fields side by side in a collection: <c>[Result, StatusReason, …]</c>.</summary>
    [GeneratedRegex(@"\[\s*(TaskFields\.)?(Result|StatusReason|StartedAt|FinishedAt|ElapsedMs|RunOwner|ContextWarning)\s*,\s*(TaskFields\.)?(Result|StatusReason|StartedAt|FinishedAt|ElapsedMs|RunOwner|ContextWarning)\b")]
    private static partial Regex RunnerFieldList();
}
