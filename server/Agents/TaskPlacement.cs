using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plue.Codex.Records;

namespace Plue.Agents;

/// <summary>
/// Where a sub-task's job may run on a swarm engine, and what a node sets aside for it (templates/task.json5:
/// <c>cpus_reserved</c>, <c>memory_reserved_mb</c>, <c>constraints</c>, <c>max_jobs</c>, <c>start_limit_s</c>): checked at every door, and
/// only ever narrowed by a sub-task.
/// </summary>
public static partial class TaskPlacement
{
    /// <summary>The constraints Docker Swarm takes: a node's id, hostname, role, platform or label, or its engine's label, compared with == or !=.</summary>
    [GeneratedRegex(@"^(node\.(id|hostname|role|platform\.os|platform\.arch|labels\.[A-Za-z0-9_.-]+)|engine\.labels\.[A-Za-z0-9_.-]+)\s*(==|!=)\s*[^\s=!]+$")]
    private static partial Regex Constraint();

    /// <summary>What is wrong with the fields' placement, in the user's words; nothing when it holds.</summary>
    public static IEnumerable<FieldError> Check(TaskRecordFields fields)
    {
        foreach (var constraint in fields.Constraints)
        {
            if (!Constraint().IsMatch(constraint.Trim()))
            {
                yield return new FieldError(TaskFields.Constraints,
                    $"'{constraint}' is not a node constraint: write it as Docker does, for example node.platform.arch==x86_64 or node.labels.gpu==true.");
            }
        }
        if (fields.CpusReserved is { } cpus && fields.Cpus is { } limit && cpus > limit)
            yield return new FieldError(TaskFields.CpusReserved, $"It reserves {cpus} CPUs but may use only {limit}: reserve no more than its CPUs, or raise them.");
        if (fields.MemoryReservedMb is { } memory && fields.MemoryMb is { } memoryLimit && memory > memoryLimit)
            yield return new FieldError(TaskFields.MemoryReservedMb, $"It reserves {memory} MiB but may use only {memoryLimit} MiB: reserve no more than its memory, or raise it.");
    }

    /// <summary>
    /// A sub-task's placement within its parent's (after its limits were narrowed into <paramref name="fields"/>): the
    /// parent's reservations unless it gives its own, never past its limits; the smaller jobs at once; and the
    /// parent's constraints with its own added (a node must meet both).
    /// </summary>
    public static void Narrow(TaskRecordFields parent, TaskRecordFields own, JsonObject fields)
    {
        var limits = TaskRecordFields.Of(fields);
        fields[TaskFields.CpusReserved] = Clip(own.CpusReserved ?? parent.CpusReserved, limits.Cpus);
        fields[TaskFields.MemoryReservedMb] = Clip(own.MemoryReservedMb ?? parent.MemoryReservedMb, limits.MemoryMb);
        fields[TaskFields.MaxJobs] = Min(own.MaxJobs, parent.MaxJobs);
        fields[TaskFields.StartLimitS] = Min(own.StartLimitS, parent.StartLimitS);
        var constraints = parent.Constraints.Concat(own.Constraints).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
        fields[TaskFields.Constraints] = constraints.Count == 0 ? null : new JsonArray([.. constraints.Select(c => (JsonNode)JsonValue.Create(c))]);
    }

    /// <summary>The smaller of two limits; one that is not set limits nothing.</summary>
    internal static T? Min<T>(T? own, T? parent) where T : struct, IComparable<T> =>
        own is { } a && parent is { } b ? (a.CompareTo(b) <= 0 ? a : b) : own ?? parent;

    /// <summary>A reservation no larger than its limit; none stays none.</summary>
    private static T? Clip<T>(T? reserved, T? limit) where T : struct, IComparable<T> =>
        reserved is { } r && limit is { } l && r.CompareTo(l) > 0 ? l : reserved;
}
