namespace Plue.Providers.Acp;

/// <summary>
/// The files an ACP agent reads and writes through its client (<c>fs/read_text_file</c>, <c>fs/write_text_file</c>),
/// confined to the workspace folders as Plue's own file tools are. A path outside them, or one that cannot be read or
/// written, throws an <see cref="Plue.Rpc.RpcException"/> whose message says why (the agent is told).
/// </summary>
public interface IAcpWorkspaceFiles
{
    /// <summary>The text of <paramref name="path"/>, from 1-based <paramref name="line"/> and at most <paramref name="limit"/> lines when given.</summary>
    Task<string> ReadTextAsync(string path, int? line, int? limit, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, creating its folders.</summary>
    Task WriteTextAsync(string path, string content, CancellationToken cancellationToken);
}
