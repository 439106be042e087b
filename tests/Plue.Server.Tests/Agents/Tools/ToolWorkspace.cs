using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Agents.Tools;
using Plue.Agents.Tools.Approvals;
using Plue.Protocol;
using Plue.Workspace;
using Plue.Tests.Support;

namespace Plue.Tests.Agents.Tools;

/// <summary>
/// A real temporary workspace folder, a folder beside it that is outside the workspace, a PLUE_HOME, and a session
/// initialized on them. Its runner has no client: tools that ask run only when the grant auto-approves them.
/// </summary>
internal sealed class ToolWorkspace : IDisposable
{
    private readonly TempDir _root = new();

    public ToolWorkspace(bool trusted = true)
    {
        Folder = Directory.CreateDirectory(Path.Combine(_root.Path, "workspace")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(_root.Path, "outside")).FullName;
        Home = Directory.CreateDirectory(Path.Combine(_root.Path, "home")).FullName;
        Session = new WorkspaceContext();
        Session.Initialize(Home, [Folder], trusted);
    }

    public string Folder { get; }
    public string Outside { get; }
    public string Home { get; }
    public WorkspaceContext Session { get; }

    public string PathOf(string relative) => Path.Combine(Folder, relative);

    public string Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public ToolRunner Runner(params IAgentTool[] tools) =>
        new(tools, new ToolApprovals(null, null, Session,
            NullLogger<ToolApprovals>.Instance), Session, null, NullLogger<ToolRunner>.Instance);

    /// <summary>Runs <paramref name="tool"/> through a runner whose grant allows and auto-approves it (under <paramref name="sandbox"/>, none given: off).</summary>
    public Task<ToolResult> RunAsync(IAgentTool tool, string inputJson, int bashTimeoutMs = 120_000, CancellationToken cancellationToken = default,
        Plue.Sandbox.SandboxPolicy? sandbox = null) =>
        Runner(tool).RunAsync(Grant([tool.Name], [tool.Name], bashTimeoutMs) with { Sandbox = sandbox ?? Plue.Sandbox.SandboxPolicy.Off }, tool.Name, Json(inputJson), cancellationToken);

    public static ToolGrant Grant(IEnumerable<string> allowed, IEnumerable<string>? autoApprove = null, int bashTimeoutMs = 120_000, string taskId = "task-1") => new()
    {
        TaskId = taskId,
        Allowed = allowed.ToHashSet(StringComparer.Ordinal),
        AutoApprove = (autoApprove ?? []).ToHashSet(StringComparer.Ordinal),
        BashTimeoutMs = bashTimeoutMs,
    };

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>A JSON string literal, quotes included, for building inputs.</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text, PlueJsonContext.Default.String);

    public void Dispose() => _root.Dispose();
}
