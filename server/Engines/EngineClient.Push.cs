using Docker.DotNet.Models;

namespace Plue.Engines;

public sealed partial class EngineClient
{
    /// <summary>The image's id (sha256:…) on the engine; null when the engine does not have it.</summary>
    public async Task<string?> ImageIdAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var image = await Call(() => _docker.Images.InspectImageAsync(name, cancellationToken), null).ConfigureAwait(false);
            return image.ID;
        }
        catch (EngineException e) when (e.InnerException is Docker.DotNet.DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Pulls <paramref name="name"/> onto the engine (anonymously, as <c>docker pull</c> does without a login).</summary>
    public async Task PullImageAsync(string name, CancellationToken cancellationToken)
    {
        var (repository, tag) = SplitTag(name);
        var said = new BuildMessages();
        await Call(() => _docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, new AuthConfig(), said, cancellationToken), name).ConfigureAwait(false);
        if (said.Error is { } error)
            throw new EngineException($"The image '{name}' cannot be pulled onto {_name}: {error.Trim()}. Check its name, or pull it there first.", EngineFix.Image);
    }

    /// <summary>
    /// Pushes <paramref name="name"/> (registry/repository:tag) to its registry from the engine (POST /images/{name}/push,
    /// an anonymous X-Registry-Auth); a push the registry refuses, or a registry the engine cannot reach, is an error
    /// saying so with the registry's own words.
    /// </summary>
    public async Task PushImageAsync(string name, string registry, CancellationToken cancellationToken)
    {
        var (repository, tag) = SplitTag(name);
        var said = new BuildMessages();
        await Call(() => _docker.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, new AuthConfig(), said, cancellationToken), name).ConfigureAwait(false);
        if (said.Error is not { } error) return;
        error = error.Trim();
        throw new EngineException(
            error.Contains("HTTP response to HTTPS client", StringComparison.OrdinalIgnoreCase)
                ? $"{_name} would not push to the registry {registry}: it speaks plain HTTP, which the swarm's engines do not trust. Add it to each engine's insecure-registries (daemon.json), or serve it over HTTPS."
            : error.Contains("connection refused", StringComparison.OrdinalIgnoreCase) || error.Contains("no such host", StringComparison.OrdinalIgnoreCase) || error.Contains("i/o timeout", StringComparison.OrdinalIgnoreCase)
                ? $"{_name} cannot reach the registry {registry} ({error}): start the registry, or set the engine's registry to one its nodes reach."
            : $"The registry {registry} refused Plue's runner image from {_name} ({error}): let it take anonymous pushes to plue-runner, or give the engine another registry.",
            EngineFix.Swarm);
    }

    /// <summary>An image name's repository and tag (latest when none); a port in the registry's host is not a tag.</summary>
    private static (string Repository, string Tag) SplitTag(string name)
    {
        var at = name.LastIndexOf(':');
        return at > name.LastIndexOf('/') ? (name[..at], name[(at + 1)..]) : (name, "latest");
    }
}
