using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Providers.VsCodeLm;

/// <summary>
/// A model of VS Code's Language Model API (GitHub Copilot's, or any extension's) as a chat client: each turn is an
/// <c>lm/chat</c> request to the client, whose parts stream back as <c>lm/chatPart</c> notifications. VS Code asks
/// the user's consent; cancelling the turn cancels the request (<c>$/cancelRequest</c>). No key, no endpoint: the
/// editor holds the subscription.
/// </summary>
public sealed class VsCodeLmChatClient(ProviderConnection connection, JsonRpcPeer peer, LmPartStreams streams) : IChatClient
{
    /// <summary>The catalog provider whose instances reach only GitHub Copilot's models; any other reaches every vendor's.</summary>
    public const string CopilotProviderId = "copilot";

    public static string? VendorOf(ProviderConnection connection) => connection.CatalogProviderId == CopilotProviderId ? "copilot" : null;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? throw new ProviderException(ProviderErrorKind.BadRequest, $"{Name}: no model was chosen");
        var requestId = Guid.NewGuid().ToString("N");
        using var stream = streams.Open(requestId);
        var request = new LmChatParams
        {
            RequestId = requestId,
            ModelId = model,
            Messages = LmConversation.FromChat([.. messages], options),
            Tools = LmConversation.Tools(options),
            Justification = $"Plue's provider instance '{Name}' sends your chat to this model.",
        };
        var answer = AskAsync(request, stream, cancellationToken);
        await foreach (var part in stream.Parts.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            yield return new ChatResponseUpdate(ChatRole.Assistant, [LmConversation.ToContent(part)]) { ResponseId = requestId, ModelId = model };
        var result = await answer.ConfigureAwait(false);
        if (result.InputTokens is { } input && result.OutputTokens is { } output)
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(ProviderUsage.Create(input, output, 0, 0, 0))]) { ResponseId = requestId, ModelId = model };
    }

    /// <summary>The request; its answer (or failure) closes the part stream, after every part sent before it.</summary>
    private async Task<LmChatResult> AskAsync(LmChatParams request, LmPartStreams.Lease stream, CancellationToken cancellationToken)
    {
        try
        {
            var result = await peer.RequestAsync(Contract.LmChat, request, cancellationToken).ConfigureAwait(false);
            stream.Complete();
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = Failure(e);
            stream.Complete(error);
            throw error;
        }
    }

    private string Name => connection.InstanceName ?? connection.InstanceId;

    /// <summary>What the client said went wrong, as a provider error people can act on.</summary>
    private ProviderException Failure(Exception e) => e switch
    {
        RpcException rpc when rpc.Code == ErrorCodes.MethodNotFound => new ProviderException(ProviderErrorKind.Unreachable,
            $"{Name}: this editor does not offer VS Code's Language Model API (VS Code 1.90 or later, with the Plue extension)", inner: e),
        RpcException rpc => new ProviderException(KindOf(rpc.Message), $"{Name}: {rpc.Message}", inner: e),
        _ => new ProviderException(ProviderErrorKind.Unreachable, $"{Name}: the editor did not answer ({e.Message}); VS Code's models are reached only from the editor", inner: e),
    };

    // The client sends vscode.LanguageModelError's code as the message's first word: NoPermissions, NotFound, Blocked.
    private static ProviderErrorKind KindOf(string message) =>
        message.StartsWith("NoPermissions", StringComparison.Ordinal) ? ProviderErrorKind.BadKey
        : message.StartsWith("NotFound", StringComparison.Ordinal) ? ProviderErrorKind.ModelNotFound
        : message.StartsWith("Blocked", StringComparison.Ordinal) ? ProviderErrorKind.RateLimited
        : ProviderErrorKind.BadRequest;

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
