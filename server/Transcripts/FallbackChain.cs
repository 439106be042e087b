using Microsoft.Extensions.Logging;
using Plue.Catalog;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Instances;
using Plue.Protocol;
using Plue.Providers;
using Plue.Rpc;

namespace Plue.Transcripts;

/// <summary>
/// The instances and models a model call falls back to, in order: the chat's or task's own <c>fallbacks</c> when it
/// names any, else its instance's. Each is resolved only when reached; one that cannot be used (removed, disabled, no
/// key, the claude CLI, which runs its own tools) is skipped with a log line. A backend that runs its own tools has no
/// fallback: its conversation lives in its process.
/// </summary>
internal sealed partial class FallbackChain(CodexService codex, InstanceService instances, InstanceResolver resolver, IChatClientFactory clients, ILogger<FallbackChain> logger)
{
    /// <summary>A provider failure that a fallback may take over: it says nothing about the request, and retrying the same provider did not help.</summary>
    public static bool FallsBack(ProviderErrorKind kind) => kind is ProviderErrorKind.Overloaded or ProviderErrorKind.RateLimited or ProviderErrorKind.Unreachable;

    public IEnumerable<AnswerRoute> Routes(ProviderConnection primary, string modelId, IReadOnlyList<ModelFallback>? own, string conversationKey)
    {
        if (ProviderTypes.RunsOwnTools(primary.ProviderType)) yield break;
        var chain = own is { Count: > 0 } ? own : Instance(primary.InstanceId)?.Fallbacks ?? [];
        foreach (var fallback in chain)
        {
            if (Resolve(fallback) is not { } connection) continue;
            if (connection.InstanceId == primary.InstanceId && fallback.ModelId == modelId) continue;
            yield return new AnswerRoute(connection, clients.Create(connection, conversationKey), fallback.ModelId);
        }
    }

    private ProviderConnection? Resolve(ModelFallback fallback)
    {
        try
        {
            var reference = fallback.ProviderRef;
            var id = reference.StartsWith(CodexReference.Scheme, StringComparison.Ordinal) ? codex.Resolve(CodexReference.Parse(reference)).Id : reference;
            var connection = resolver.Resolve(id);
            if (!ProviderTypes.RunsOwnTools(connection.ProviderType)) return connection;
            LogSkipped(reference, "an agent that runs its own tools (the claude CLI, an ACP agent) cannot take over a turn");
        }
        catch (RpcException e)
        {
            LogSkipped(fallback.ProviderRef, e.Message);
        }
        return null;
    }

    private ProviderInstance? Instance(string id)
    {
        try
        {
            return instances.Get(id);
        }
        catch (RpcException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fallback {Reference} is skipped: {Reason}")]
    private partial void LogSkipped(string reference, string reason);
}
