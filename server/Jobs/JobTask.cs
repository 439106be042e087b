using System.Text.Json;
using System.Text.Json.Serialization;

using Plue.Cli;

namespace Plue.Jobs;

/// <summary>
/// A task bundle's <c>task.json</c> (docs/JOB-EVENTS.md): one sub-task as a job runs it away from the user's machine.
/// Never a secret: the key comes from a file of its own (<c>--key-file</c>).
/// </summary>
public sealed record JobTask
{
    public const int CurrentVersion = 1;

    public int Version { get; init; }
    /// <summary>What the sub-task must achieve: its goal.</summary>
    public string? Brief { get; init; }
    public string? Title { get; init; }
    public JobModel? Model { get; init; }
    /// <summary>The tools it may use (read, search, write, edit, bash).</summary>
    public IReadOnlyList<string>? Tools { get; init; }
    /// <summary>The approval rules, in order: the only ones that decide inside a job.</summary>
    public IReadOnlyList<JobRule>? Rules { get; init; }
    /// <summary>A sandbox policy's id (sandbox-workspace-write, sandbox-off, …); absent: workspace-write.</summary>
    public string? Sandbox { get; init; }
    public decimal? SpendCapUsd { get; init; }
    public int? MaxTurns { get; init; }
    public JobResume? Resume { get; init; }
}

/// <summary>The model: its provider kind (a catalog provider id), its id, its endpoint and the instance's non-secret settings.</summary>
public sealed record JobModel
{
    public string? Provider { get; init; }
    public string? Id { get; init; }
    /// <summary>The instance's name where the sub-task was started, so what the job says of it names it as the user does.</summary>
    public string? Name { get; init; }
    public string? Endpoint { get; init; }
    public int? TimeoutMs { get; init; }
    public int? ContextWindow { get; init; }
    public bool? Local { get; init; }
    public string? ApiVersion { get; init; }
}

/// <summary>One approval rule, as a tool grant has it: a tool, narrowed by a command prefix, a path glob or a host; allow or deny.</summary>
public sealed record JobRule(string? Tool, string? CommandPrefix, string? PathGlob, string? Host, string? Decision);

/// <summary>
/// A job that goes on from a pause: the transcript and worktree state it sent when it stopped (files in the bundle
/// folder; the state may be split as start.bundle is), and the user's answer to the call it stopped at.
/// </summary>
public sealed record JobResume
{
    public string? Transcript { get; init; }
    public string? State { get; init; }
    /// <summary>allow or deny: the user's answer to the call the job stopped at.</summary>
    public string? Answer { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(JobTask))]
internal sealed partial class JobJsonContext : JsonSerializerContext;

/// <summary>Reads and checks a task.json: each problem is one line that says what to change.</summary>
public static class JobTaskReader
{
    private static readonly HashSet<string> s_tools = new(StringComparer.Ordinal) { "read", "search", "write", "edit", "bash" };

    public static JobTask Parse(ReadOnlySpan<byte> json)
    {
        JobTask? task;
        try
        {
            task = JsonSerializer.Deserialize(json, JobJsonContext.Default.JobTask);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } path ? $" at {path[2..]}" : e.LineNumber is { } line ? $" at line {line + 1}" : "";
            var what = e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "an unknown field" : "not what was expected";
            throw new JobTaskException($"task.json is not a task bundle's: {what}{where}; write it as docs/JOB-EVENTS.md shows.");
        }
        if (task is null) throw new JobTaskException("task.json is empty: write it as docs/JOB-EVENTS.md shows.");
        if (task.Version != JobTask.CurrentVersion)
            throw new JobTaskException($"task.json is version {task.Version}, this plue reads version {JobTask.CurrentVersion}: use the plue that made the bundle.");
        if (string.IsNullOrWhiteSpace(task.Brief)) throw new JobTaskException("task.json has no brief: say what the sub-task must achieve.");
        if (task.Model is not { Provider: { Length: > 0 }, Id: { Length: > 0 } } model)
            throw new JobTaskException("task.json names no model: give model.provider (such as openai) and model.id.");
        if (model.Endpoint is { } endpoint && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            throw new JobTaskException($"task.json's model endpoint '{endpoint}' is not an http or https address.");
        foreach (var tool in task.Tools ?? [])
            if (!s_tools.Contains(tool)) throw new JobTaskException($"task.json names the tool '{tool}', which a job cannot use: use {string.Join(", ", s_tools)}.");
        foreach (var rule in task.Rules ?? [])
        {
            if (string.IsNullOrWhiteSpace(rule.Tool)) throw new JobTaskException("task.json has a rule without a tool: each rule names one (bash, write, edit).");
            if (rule.Decision is not (null or "allow" or "deny")) throw new JobTaskException($"task.json has a rule for {rule.Tool} whose decision is '{rule.Decision}': use allow or deny.");
        }
        if (task.SpendCapUsd is < 0) throw new JobTaskException("task.json's spend_cap_usd is below zero: give this job's share of the cap in dollars.");
        if (task.MaxTurns is < 1) throw new JobTaskException("task.json's max_turns is below one.");
        if (task.Resume is { } resume)
        {
            if (string.IsNullOrWhiteSpace(resume.Transcript) || string.IsNullOrWhiteSpace(resume.State))
                throw new JobTaskException("task.json's resume needs both the transcript and the state the paused job sent.");
            if (resume.Answer is not ("allow" or "deny")) throw new JobTaskException("task.json's resume needs the answer to the call it stopped at: allow or deny.");
            foreach (var file in new[] { resume.Transcript, resume.State })
                if (Path.GetFileName(file) != file) throw new JobTaskException($"task.json's resume names '{file}': name a file in the bundle folder, without a folder.");
        }
        return task;
    }
}

/// <summary>A task.json that cannot be run, said in one line.</summary>
public sealed class JobTaskException(string message) : Exception(message);
