using Docker.DotNet;
using Docker.DotNet.Models;

namespace Plue.Engines;

/// <summary>
/// Files in and out of a container through the Engine API's archive calls (<c>PUT</c>/<c>GET /containers/{id}/archive</c>,
/// what <c>docker cp</c> does): the way in for an engine on another machine, which cannot mount this machine's folders.
/// </summary>
public sealed partial class EngineClient
{
    /// <summary>Extracts the tar in <paramref name="tar"/> into <paramref name="folder"/> of the container (a folder there already).</summary>
    public Task PutArchiveAsync(string containerId, string folder, Stream tar, CancellationToken cancellationToken) =>
        Call(() => _docker.Containers.ExtractArchiveToContainerAsync(containerId, new CopyToContainerParameters { Path = folder }, tar, cancellationToken), null);

    /// <summary>
    /// <paramref name="path"/> of the container as a tar (a file, or a folder with what it holds), read by
    /// <paramref name="read"/>; false when there is nothing at that path.
    /// </summary>
    public async Task<bool> GetArchiveAsync(string containerId, string path, Func<Stream, Task> read, CancellationToken cancellationToken)
    {
        ContainerArchiveResponse answer;
        try
        {
            answer = await _docker.Containers.GetArchiveFromContainerAsync(containerId, new ContainerPathStatParameters { Path = path }, statOnly: false, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Explain(e, _address, _name);
        }
        if (answer.Stream is not { } tar) return false;
        // Read whole first: a tar reader reads past the data it hands out, which the engine's stream does not allow.
        using var whole = new MemoryStream();
        await using (tar.ConfigureAwait(false))
            await tar.CopyToAsync(whole, cancellationToken).ConfigureAwait(false);
        whole.Position = 0;
        await read(whole).ConfigureAwait(false);
        return true;
    }
}
