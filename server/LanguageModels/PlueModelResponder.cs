using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;
using Plue.Providers.ClaudeCode;
using Plue.Providers.VsCodeLm;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.LanguageModels;

/// <summary>
/// <c>lm/respond</c>: another extension's conversation, sent through VS Code's model picker to a Plue instance. The
/// instance's own backend answers (vault key, retries, timeouts); each part goes back as <c>lm/responsePart</c> as
/// it arrives; the result has the usage and its cost from the catalog. Nothing is stored: the conversation is the
/// caller's. Tool calls are passed back for the caller to run, never run here.
/// </summary>
public sealed class PlueModelResponder(InstanceService instances, InstanceResolver resolver, IChatClientFactory clients, CatalogStore catalog, JsonRpcPeer peer)
{
    // The requestIds being answered: each names one answer's parts, so a second request under a live one is refused.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _answering = new(StringComparer.Ordinal);

    public async Task<LmRespondResult> RespondAsync(LmRespondParams request, CancellationToken cancellationToken)
    {
        if (request.Messages.Count == 0) throw RpcException.InvalidParams("messages: at least one message is needed");
        if (!_answering.TryAdd(request.RequestId, 0))
            throw RpcException.InvalidParams($"requestId: '{request.RequestId}' is already being answered; give each answer a requestId of its own");
        try
        {
            return await AnswerAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _answering.TryRemove(request.RequestId, out _);
        }
    }

    private async Task<LmRespondResult> AnswerAsync(LmRespondParams request, CancellationToken cancellationToken)
    {
        var instance = instances.Get(request.InstanceId);
        if (instance.ProviderType == ProviderTypes.VsCodeLm)
            throw RpcException.InvalidParams($"instanceId: '{instance.DisplayName}' is VS Code's own models; ask them through VS Code");
        if (instances.Obstacle(instance.Id) is { } obstacle)
            throw new RpcException(PlueErrorCodes.ProviderError, $"{instance.DisplayName} cannot answer: {obstacle}");
        var connection = resolver.Resolve(instance.Id);
        var conversation = $"lm-{request.RequestId}";
        var client = clients.Create(connection, conversation, static (_, _) => Task.FromResult(ToolApprovalDecision.Deny("Plue runs no tools for a request from VS Code's model picker")));
        var usage = TokenUsage.Zero;
        try
        {
            var options = new ChatOptions { ModelId = request.ModelId, Tools = Declarations(request.Tools) };
            await foreach (var update in client.GetStreamingResponseAsync(LmConversation.ToChat(request.Messages), options, cancellationToken).ConfigureAwait(false))
            {
                foreach (var content in update.Contents)
                {
                    if (content is UsageContent used) usage = usage.Add(UsageMapping.From(used.Details));
                    else if (LmConversation.ToPart(content) is { } part && part.ToolResult is null)
                        await peer.NotifyAsync(Contract.LmResponsePart, new LmPartParams { RequestId = request.RequestId, Part = part }, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (ProviderException e)
        {
            throw e.ToRpcException();
        }
        finally
        {
            // The claude CLI keeps a process per conversation: this one has ended.
            if (client.GetService(typeof(ClaudeCodeSessions)) is ClaudeCodeSessions sessions) await sessions.CloseAsync(conversation).ConfigureAwait(false);
            client.Dispose();
        }
        return new LmRespondResult { Usage = usage, CostUsd = TurnCost.Compute(catalog, connection, request.ModelId, usage).Usd };
    }

    /// <summary>The caller's tools as declarations only: the model may call them, and the caller runs them.</summary>
    private static List<AITool>? Declarations(IReadOnlyList<LmTool>? tools) => tools is { Count: > 0 }
        ? [.. tools.Select(t => AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.InputSchema ?? default))]
        : null;
}
