using Docker.DotNet;
using Docker.DotNet.Models;

namespace Plue.Engines;

public sealed partial class EngineClient
{
    /// <summary>Whether the engine has the image <paramref name="name"/> (by name and tag).</summary>
    public async Task<bool> HasImageAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await Call(() => _docker.Images.InspectImageAsync(name, cancellationToken), null).ConfigureAwait(false);
            return true;
        }
        catch (EngineException e) when (e.InnerException is DockerImageNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Builds <paramref name="tag"/> from a build context (a tar stream) and the Dockerfile at <paramref name="dockerfile"/>
    /// in it, as <c>docker build</c> does; a step that fails is an error with the build's own line.
    /// </summary>
    /// <param name="platform">The platform to build for (linux/arm64); null: the engine's own.</param>
    public async Task BuildImageAsync(Stream context, string dockerfile, string tag, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken, string? platform = null)
    {
        var said = new BuildMessages();
        var parameters = new ImageBuildParameters { Dockerfile = dockerfile, Tags = [tag], Remove = true, ForceRemove = true, Labels = new Dictionary<string, string>(labels), Platform = platform! };
        await Call(() => _docker.Images.BuildImageFromDockerfileAsync(parameters, context, null, null, said, cancellationToken), null).ConfigureAwait(false);
        if (said.Error is { } error)
            throw new EngineException($"The image '{tag}' did not build on {_name}: {error.Trim()}. Fix the Dockerfile, or name an image the engine has.", EngineFix.Image);
    }

    /// <summary>The build's messages as they come (not through a synchronization context, so none arrives after the build ends).</summary>
    private sealed class BuildMessages : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (value.Error?.Message is { Length: > 0 } message) Error = message;
        }
    }
}
