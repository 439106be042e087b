using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Plue.Providers;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// The claude-code backend as an <see cref="IChatClient"/>: each chat session (<see cref="ChatOptions.ConversationId"/>,
/// a new one when absent and returned in every update) runs in one long-lived CLI process; each call is one user turn.
/// Options: <see cref="ChatOptions.ModelId"/> (required), <see cref="ChatOptions.Instructions"/> and system messages
/// (the system prompt), AdditionalProperties <c>plue.maxTurns</c> (int), <c>plue.tools</c> ("Read,Edit"),
/// <c>plue.mcpConfig</c> (a <see cref="ClaudeCodeMcpConfig"/>), <c>plue.allowedTools</c> and <c>plue.disallowedTools</c>.
/// The final update carries the turn's cost in AdditionalProperties <c>plue.costUsd</c>.
/// </summary>
public sealed class ClaudeCodeChatClient : IChatClient
{
    public const string MaxTurnsKey = "plue.maxTurns";
    public const string ToolsKey = "plue.tools";
    public const string McpConfigKey = "plue.mcpConfig";
    public const string AllowedToolsKey = "plue.allowedTools";
    public const string DisallowedToolsKey = "plue.disallowedTools";

    private readonly ProviderConnection _connection;
    private readonly ClaudeCodeChatClientOptions _options;
    private readonly ClaudeCodeSessions _sessions;
    private readonly bool _ownsSessions;

    public ClaudeCodeChatClient(ProviderConnection connection, ClaudeCodeChatClientOptions options)
    {
        _connection = connection;
        _options = options;
        _ownsSessions = options.Sessions is null;
        _sessions = options.Sessions ?? new ClaudeCodeSessions();
    }

    public ClaudeCodeSessions Sessions => _sessions;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = messages.ToList();
        var conversationId = options?.ConversationId ?? Guid.NewGuid().ToString("N");
        var launch = LaunchFor(history, options, conversationId);
        var session = _sessions.GetOrAdd(conversationId, _connection, _options.Environment, _options.Approver);
        var prompt = ConversationPrompt.For(history, session.KnowsConversation, "claude-code");
        var mapper = new ClaudeCodeStreamMapper(conversationId, session.WasDenied, session.ApprovalOf);
        await foreach (var line in session.RunTurnAsync(prompt, launch, cancellationToken).ConfigureAwait(false))
        {
            if (ClaudeCodeWire.TypeOf(line) == "result")
            {
                yield return mapper.Complete(line, session.RecordCost(ClaudeCodeStreamMapper.TotalCostOf(line)));
                continue;
            }
            foreach (var update in mapper.Map(line))
            {
                // What its sandbox refused while the tool ran, on the tool's result.
                _options.Confinement?.Proxies.Tell(conversationId, update);
                yield return update;
            }
        }
        // What its sandbox refused outside its tool calls, as the turn's last word.
        if (_options.Confinement?.Proxies.OutsideCalls(conversationId, Sandbox.AgentProxies.ClaudeCodeStartTraffic) is { } outside) yield return outside;
    }

    private ClaudeCodeLaunch LaunchFor(List<ChatMessage> history, ChatOptions? options, string conversationId)
    {
        var model = options?.ModelId is { Length: > 0 } id ? id : throw new ArgumentException("claude-code needs ChatOptions.ModelId (pass the model explicitly).", nameof(options));
        var cli = ClaudeCodeEnvironment.ResolveCli(_connection.CliPath)
            ?? throw new ClaudeCodeException("The Claude Code CLI was not found: install it (npm install -g @anthropic-ai/claude-code) or set the instance's CLI path.");
        var system = string.Join("\n\n", new[] { options?.Instructions }
            .Concat(history.Where(m => m.Role == ChatRole.System).Select(m => m.Text))
            .Where(s => !string.IsNullOrWhiteSpace(s)));
        return new ClaudeCodeLaunch
        {
            CliPath = cli,
            WorkingDirectory = _options.WorkingDirectory,
            Model = model,
            // With the paths the user allowed once for it: a changed launch starts the CLI again (resuming its session).
            Sandbox = _options.Confinement?.Proxies.Widened(conversationId, _options.Sandbox) ?? _options.Sandbox,
            Confinement = _options.Confinement,
            WorkspaceTrusted = _options.WorkspaceTrusted,
            MaxTurns = options?.AdditionalProperties?.TryGetValue(MaxTurnsKey, out var turns) == true ? Convert.ToInt32(turns, CultureInfo.InvariantCulture) : null,
            SystemPrompt = system.Length == 0 ? null : system,
            Tools = Text(options, ToolsKey),
            McpConfig = options?.AdditionalProperties?.TryGetValue(McpConfigKey, out var mcp) == true ? mcp as ClaudeCodeMcpConfig : null,
            AllowedTools = Text(options, AllowedToolsKey),
            DisallowedTools = Text(options, DisallowedToolsKey),
        };
    }

    private static string? Text(ChatOptions? options, string key) =>
        options?.AdditionalProperties?.TryGetValue(key, out var value) == true ? value?.ToString() : null;

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ClaudeCodeSessions) ? _sessions
        : serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("claude-code", null, null)
        : null;

    public void Dispose()
    {
        if (_ownsSessions) _sessions.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
