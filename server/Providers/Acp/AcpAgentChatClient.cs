using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Plue.Providers.Acp;

/// <summary>
/// The acp-agent backend as an <see cref="IChatClient"/>: any agent that speaks the Agent Client Protocol (the
/// instance's command and arguments), one agent process per chat or task (<see cref="ChatOptions.ConversationId"/>),
/// each call one <c>session/prompt</c>. The agent runs its own tools: its tool calls come back informational, with
/// their results. It chooses its own model: <see cref="ChatOptions.ModelId"/> only labels the answer.
/// </summary>
public sealed class AcpAgentChatClient(ProviderConnection connection, AcpAgentOptions options) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, chatOptions, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = messages.ToList();
        var conversationId = chatOptions?.ConversationId ?? Guid.NewGuid().ToString("N");
        var session = options.Sessions.GetOrAdd(conversationId, connection, options);
        var prompt = ConversationPrompt.For(history, session.KnowsConversation, "acp-agent");
        var mapper = new AcpUpdateMapper(conversationId, chatOptions?.ModelId, session.WasDenied, session.ApprovalOf);
        await foreach (var update in session.RunTurnAsync(prompt, mapper, cancellationToken).ConfigureAwait(false))
        {
            // What its sandbox refused while the tool ran, on the tool's result.
            options.Confinement?.Proxies.Tell(conversationId, update);
            yield return update;
        }
        // What its sandbox refused outside its tool calls, as the turn's last word.
        if (options.Confinement?.Proxies.OutsideCalls(conversationId, Sandbox.AgentProxies.ClaudeCodeStartTraffic) is { } outside) yield return outside;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("acp-agent", null, null)
        : null;

    public void Dispose()
    {
        // The agent lives in the shared sessions, for the conversation's next turn.
    }
}
