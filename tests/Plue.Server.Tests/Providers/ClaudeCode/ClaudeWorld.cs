using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Plue.Instances;
using Plue.Providers.ClaudeCode;
using Plue.Providers;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Providers.ClaudeCode;

/// <summary>
/// The real CLI pointed at a <see cref="ScriptedAnthropicServer"/> with a dummy key, an isolated CLAUDE_CONFIG_DIR and HOME,
/// a temp workspace, and a scriptable approver that records what it was asked. The CLI is started through a script that
/// writes down each chat process (<see cref="Starts"/>) and then becomes the CLI.
/// </summary>
internal sealed class ClaudeWorld : IAsyncDisposable
{
    public const string Model = "claude-fake-1";
    public const string ApiKey = "plue-test-anthropic-key-SECRET-dummy";

    private readonly TempDir _root = new();

    public ClaudeWorld(int timeoutMs = 120_000, ClaudeCodeLimits? limits = null)
    {
        Workspace = Directory.CreateDirectory(System.IO.Path.Combine(_root.Path, "workspace")).FullName;
        Environment = new Dictionary<string, string?>
        {
            ["CLAUDE_CONFIG_DIR"] = Directory.CreateDirectory(System.IO.Path.Combine(_root.Path, "config")).FullName,
            ["HOME"] = Directory.CreateDirectory(System.IO.Path.Combine(_root.Path, "home")).FullName,
            ["ANTHROPIC_AUTH_TOKEN"] = null,
            ["CLAUDE_CODE_OAUTH_TOKEN"] = null,
            ["CLAUDE_CODE_MAX_RETRIES"] = "0",
        };
        Connection = new ProviderConnection
        {
            InstanceId = "claude-test",
            ProviderType = "claude-code",
            CatalogProviderId = "anthropic",
            Endpoint = Fake.BaseUrl,
            ApiKey = ApiKey,
            CliPath = RecordingStarts(),
            TimeoutMs = timeoutMs,
        };
        Client = new ClaudeCodeChatClient(Connection, new ClaudeCodeChatClientOptions
        {
            WorkingDirectory = Workspace,
            Environment = Environment,
            Approver = ApproveAsync,
            Sessions = new ClaudeCodeSessions(limits: limits),
        });
    }

    public ScriptedAnthropicServer Fake { get; } = ScriptedAnthropicServer.Start();
    public string Workspace { get; }
    public IReadOnlyDictionary<string, string?> Environment { get; }
    public ProviderConnection Connection { get; }
    public ClaudeCodeChatClient Client { get; }
    public ConcurrentQueue<ToolApprovalRequest> Approvals { get; } = new();
    public Func<ToolApprovalRequest, ToolApprovalDecision> Decide { get; set; } = _ => ToolApprovalDecision.Allow;

    public static ChatOptions Options(string conversationId, int? maxTurns = null, string? tools = "Bash,Read,Write")
    {
        var options = new ChatOptions { ConversationId = conversationId, ModelId = Model, AdditionalProperties = [] };
        if (maxTurns is not null) options.AdditionalProperties[ClaudeCodeChatClient.MaxTurnsKey] = maxTurns;
        if (tools is not null) options.AdditionalProperties[ClaudeCodeChatClient.ToolsKey] = tools;
        return options;
    }

    /// <summary>One turn, every update collected.</summary>
    public async Task<List<ChatResponseUpdate>> AskAsync(string prompt, ChatOptions options, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The real CLI is a node program: at a load of 40 and more one turn has taken over a minute.
        deadline.CancelAfter(TimeSpan.FromSeconds(180));
        await foreach (var update in Client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, prompt)], options, deadline.Token))
            updates.Add(update);
        return updates;
    }

    /// <summary>The pids of the chat processes (<c>claude -p</c>) started so far, in order: the CLI keeps the pid its script was started with.</summary>
    public IReadOnlyList<int> Starts => File.Exists(StartsFile) ? [.. File.ReadAllLines(StartsFile).Select(int.Parse)] : [];

    private string StartsFile => System.IO.Path.Combine(_root.Path, "starts");

    /// <summary>A script that appends a chat process's pid to <see cref="StartsFile"/> and execs the real CLI (the pid stays).</summary>
    private string RecordingStarts()
    {
        var script = System.IO.Path.Combine(_root.Path, "claude");
        File.WriteAllText(script, $$"""
            #!/usr/bin/env bash
            if [ "$1" = -p ]; then echo $$ >> '{{StartsFile}}'; fi
            exec '{{ClaudeCli.Path}}' "$@"
            """.Replace("\r", ""));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    public ClaudeCodeSession Session(string conversationId) => Client.Sessions.Find(conversationId) ?? throw new InvalidOperationException("no session " + conversationId);

    private Task<ToolApprovalDecision> ApproveAsync(ToolApprovalRequest request, CancellationToken cancellationToken)
    {
        Approvals.Enqueue(request);
        return Task.FromResult(Decide(request));
    }

    /// <summary>The process's argv as the kernel has it (NUL-separated in /proc).</summary>
    public static string CommandLine(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');

    public async ValueTask DisposeAsync()
    {
        await Client.Sessions.DisposeAsync();
        Client.Dispose();
        await Fake.DisposeAsync();
        _root.Dispose();
    }
}
