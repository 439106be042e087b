using System.Text;
using Plue.Providers.Acp;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Agents.Tools.Files;

/// <summary>
/// An ACP agent's <c>fs/read_text_file</c> and <c>fs/write_text_file</c>, confined to the workspace folders exactly as
/// the read and write tools are (<see cref="WorkspacePaths"/>: every symlink followed, nothing outside a folder); a
/// refused path is told to the agent as an error it can show. The agent asked the user before writing
/// (<c>session/request_permission</c>), as its protocol has it.
/// </summary>
public sealed class AgentWorkspaceFiles(WorkspaceContext workspace) : IAcpWorkspaceFiles
{
    /// <summary>A text file larger than this is refused: an agent reads source, not data dumps.</summary>
    private const int MaxReadBytes = 8 * 1024 * 1024;

    public Task<string> ReadTextAsync(string path, int? line, int? limit, CancellationToken cancellationToken)
    {
        var text = Confined(() =>
        {
            var real = WorkspacePaths.ResolveExisting(workspace.Folders, path);
            if (Directory.Exists(real)) throw new ToolException($"'{path}' is a folder, not a file.");
            return RegularFile.ReadText(real, MaxReadBytes);
        });
        if (line is null && limit is null) return Task.FromResult(text);
        var lines = text.Split('\n').Skip(Math.Max(0, (line ?? 1) - 1));
        return Task.FromResult(string.Join('\n', limit is { } n ? lines.Take(Math.Max(0, n)) : lines));
    }

    public async Task WriteTextAsync(string path, string content, CancellationToken cancellationToken)
    {
        var real = Confined(() => WorkspacePaths.ResolveForWrite(workspace.Folders, path));
        if (Directory.Exists(real)) throw new RpcException(ErrorCodes.InvalidParams, $"'{path}' is a folder, not a file.");
        Directory.CreateDirectory(Path.GetDirectoryName(real)!);
        await File.WriteAllBytesAsync(real, new UTF8Encoding(false).GetBytes(content), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A path refused or a file unreadable, as the error the agent gets.</summary>
    private static T Confined<T>(Func<T> resolve)
    {
        try
        {
            return resolve();
        }
        catch (Exception e) when (e is ToolException or IOException or UnauthorizedAccessException or RegularFileException)
        {
            throw new RpcException(ErrorCodes.InvalidParams, e.Message);
        }
    }
}
