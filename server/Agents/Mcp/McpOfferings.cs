using ModelContextProtocol.Protocol;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Mcp;

/// <summary>
/// What the enabled MCP servers offer besides tools: resources a message can attach, and prompts a composer can fill
/// in. A listing asks every enabled server at once (each started or connected to as a task's would be, never signed
/// in to) and lists a server it cannot reach under <c>unavailable</c>, with the reason, instead of failing. What a
/// server sends is scrubbed of the credentials Plue gave it (<see cref="McpSecrets"/>).
/// </summary>
public sealed class McpOfferings(McpServerConfigs configs, McpServers servers)
{
    public async Task<McpResourcesResult> ResourcesAsync(CancellationToken cancellationToken)
    {
        var (resources, unavailable) = await FromEachAsync(async (config, connection) =>
            (await connection.ResourcesAsync(cancellationToken).ConfigureAwait(false)).Select(r => new McpResourceSummary
            {
                Server = config.Slug,
                ServerTitle = config.Title,
                Uri = connection.Secrets.Scrub(r.Uri),
                Name = connection.Secrets.Scrub(r.Name),
                Title = connection.Secrets.ScrubOrNull(r.Title),
                Description = connection.Secrets.ScrubOrNull(r.Description),
                MimeType = r.MimeType,
            }), cancellationToken).ConfigureAwait(false);
        return new McpResourcesResult { Resources = resources, Unavailable = unavailable };
    }

    public async Task<McpPromptsResult> PromptsAsync(CancellationToken cancellationToken)
    {
        var (prompts, unavailable) = await FromEachAsync(async (config, connection) =>
            (await connection.PromptsAsync(cancellationToken).ConfigureAwait(false)).Select(p => new McpPromptSummary
            {
                Server = config.Slug,
                ServerTitle = config.Title,
                Name = p.Name,
                Title = connection.Secrets.ScrubOrNull(p.Title),
                Description = connection.Secrets.ScrubOrNull(p.Description),
                Arguments = [.. (p.ProtocolPrompt.Arguments ?? []).Select(a => new McpPromptArgumentSummary
                {
                    Name = a.Name,
                    Title = connection.Secrets.ScrubOrNull(a.Title),
                    Description = connection.Secrets.ScrubOrNull(a.Description),
                    Required = a.Required ?? false,
                })],
            }), cancellationToken).ConfigureAwait(false);
        return new McpPromptsResult { Prompts = prompts, Unavailable = unavailable };
    }

    /// <summary>The resource's text contents, one after another; a resource with binary contents only is refused.</summary>
    public Task<McpReadResourceResult> ReadResourceAsync(McpReadResourceParams request, CancellationToken cancellationToken) =>
        OnServerAsync(request.Server, cancellationToken, async (config, connection) =>
        {
            var read = await connection.ReadResourceAsync(request.Uri, cancellationToken).ConfigureAwait(false);
            var texts = read.Contents.OfType<TextResourceContents>().ToList();
            if (texts.Count == 0)
                throw new McpException($"The resource {request.Uri} of the MCP server {config.Title} has no text ({read.Contents.FirstOrDefault()?.MimeType ?? "binary"}): only text can be attached.");
            return new McpReadResourceResult
            {
                Server = config.Slug,
                ServerTitle = config.Title,
                Uri = request.Uri,
                MimeType = texts[0].MimeType,
                Text = connection.Secrets.Scrub(string.Join("\n\n", texts.Select(t => t.Text))),
            };
        });

    /// <summary>The prompt's messages, each as text; content that is not text is named in its place.</summary>
    public Task<McpGetPromptResult> GetPromptAsync(McpGetPromptParams request, CancellationToken cancellationToken) =>
        OnServerAsync(request.Server, cancellationToken, async (_, connection) =>
        {
            var prompt = await connection.GetPromptAsync(request.Name, request.Arguments ?? new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
            return new McpGetPromptResult
            {
                Description = connection.Secrets.ScrubOrNull(prompt.Description),
                Messages = [.. prompt.Messages.Select(m => new McpPromptMessageText
                {
                    Role = m.Role == Role.Assistant ? "assistant" : "user",
                    Text = connection.Secrets.Scrub(Text(m.Content)),
                })],
            };
        });

    private static string Text(ContentBlock content) => content switch
    {
        TextContentBlock text => text.Text,
        EmbeddedResourceBlock { Resource: TextResourceContents resource } => resource.Text,
        _ => $"[{content.Type} content left out]",
    };

    /// <summary>A request to one enabled server; its failures are <see cref="PlueErrorCodes.McpServerError"/>s that say which server and why.</summary>
    private async Task<T> OnServerAsync<T>(string server, CancellationToken cancellationToken, Func<McpServerConfig, McpConnection, Task<T>> ask)
    {
        var title = configs.Find(server)?.Title ?? server;
        try
        {
            var connection = await servers.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            return await ask(connection.Config, connection).ConfigureAwait(false);
        }
        catch (McpException e)
        {
            throw new RpcException(PlueErrorCodes.McpServerError, e.Message, inner: e);
        }
        catch (ModelContextProtocol.McpException e)
        {
            throw new RpcException(PlueErrorCodes.McpServerError, $"The MCP server {title} refused: {e.Message}", inner: e);
        }
    }

    private async Task<(List<T> Items, List<McpServerUnavailable> Unavailable)> FromEachAsync<T>(
        Func<McpServerConfig, McpConnection, Task<IEnumerable<T>>> list, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(configs.List().Where(c => c.Enabled).Select(async config =>
        {
            try
            {
                var connection = await servers.ConnectAsync(config.Slug, cancellationToken).ConfigureAwait(false);
                return (Items: (await list(config, connection).ConfigureAwait(false)).ToList(), Unavailable: (McpServerUnavailable?)null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return ([], new McpServerUnavailable { Server = config.Slug, Title = config.Title, Reason = e.Message });
            }
        })).ConfigureAwait(false);
        return ([.. answers.SelectMany(a => a.Items)], [.. answers.Select(a => a.Unavailable).OfType<McpServerUnavailable>()]);
    }
}
