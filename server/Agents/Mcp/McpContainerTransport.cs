using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Plue.Agents.Containers;

namespace Plue.Agents.Mcp;

/// <summary>
/// A stdio server of a task whose commands run in a container, started in that container (docs/CONTAINERS.md, What
/// runs where): its command and arguments as written, in the task's folder, as the container's user, with the
/// container's environment and the server's own variables only (never the sidecar's: no provider key, no vault key);
/// under an allow-list through its own proxy, as a <c>bash</c> call. Its messages travel over the exec's streams.
/// </summary>
internal sealed class McpContainerTransport(McpServerConfig config, TaskContainer container, IReadOnlyList<string> environment, Sandbox.SandboxPolicy policy,
    ILoggerFactory loggerFactory) : IClientTransport
{
    private ContainerProcess? _process;

    public string Name => config.Slug;

    public async Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var through = container.Network?.Start(policy);
        ContainerProcess process;
        try
        {
            process = await container.StartAsync([config.Command!, .. config.Args], environment, container.Folder, through, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            through?.Dispose();
            throw;
        }
        _process = process;
        try
        {
            var connected = await new StreamClientTransport(process.Pipe.Input, process.Pipe.Output, loggerFactory).ConnectAsync(cancellationToken).ConfigureAwait(false);
            return new Ending(connected, process);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Why it did not start, in the user's words: what it wrote on stderr when it wrote anything (a command the image
    /// lacks: "not found"), and where it ran.
    /// </summary>
    public string Why(string cause)
    {
        var said = _process?.Pipe.Errors.Trim() is { Length: > 0 } errors ? errors.Split('\n')[^1].Trim() : cause;
        return $"{said} (it runs in the task's container on {container.Info.Engine}, image {container.Info.Image}, in the task's folder: its command must be in the image, its files in the folder)";
    }

    /// <summary>The connected transport; closing it closes the server's input and ends what is left of it.</summary>
    private sealed class Ending(ITransport inner, ContainerProcess process) : ITransport
    {
        public string? SessionId => inner.SessionId;

        public System.Threading.Channels.ChannelReader<JsonRpcMessage> MessageReader => inner.MessageReader;

        public Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default) => inner.SendMessageAsync(message, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
