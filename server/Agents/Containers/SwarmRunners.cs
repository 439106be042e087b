using Plue.Engines;
using Plue.Outbound;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Agents.Containers;

/// <summary><c>engines/runnerImage</c>: a swarm engine's runner image built on its manager and pushed to its registry (<see cref="SwarmRunnerImage"/>).</summary>
public sealed class SwarmRunners(EngineService engines, WorkspaceContext workspace, Func<string, string?> environment)
{
    /// <summary>
    /// The runner image for each architecture of the swarm's nodes, from <paramref name="request"/>'s image (else the
    /// workspace's, as a task's container picks it); a manager, registry or push that fails is a result saying why.
    /// </summary>
    public async Task<EngineRunnerImageResult> EnsurePushedAsync(EngineRunnerImageParams request, CancellationToken cancellationToken)
    {
        var record = engines.Get(request.Id);
        var fields = EngineRecordFields.Of(record.Fields);
        if (!fields.IsSwarm || fields.Registry is not { } registry)
            throw RpcException.InvalidParams($"{record.Title} is not a swarm: make it one (Swarm, with the registry its nodes pull from), or add one with `plue engines add NAME --host URL --swarm --registry HOST[:PORT]`.");
        try
        {
            using var client = await engines.ConnectAsync(record, cancellationToken).ConfigureAwait(false);
            var swarm = await client.SwarmOverviewAsync(cancellationToken).ConfigureAwait(false);
            if (!swarm.Manager) throw EngineService.NoManager(swarm, record.Title);
            using var http = BoundedHttp.ForRegistry();
            var baseImage = ContainerImage.For(request.Image, workspace.Folders.FirstOrDefault());
            var images = await new SwarmRunnerImage(environment, http).EnsurePushedAsync(client, registry, baseImage, swarm.Architectures, cancellationToken).ConfigureAwait(false);
            return new EngineRunnerImageResult
            {
                Ok = true,
                Engine = record.Title,
                Images = [.. images.Select(i => new EngineRunnerImage { Architecture = i.Architecture, Image = i.Image, Pushed = i.Pushed })],
            };
        }
        catch (EngineException e)
        {
            return new EngineRunnerImageResult { Ok = false, Engine = record.Title, Images = [], Error = e.Message, Fix = EngineService.FixName(e.Fix) };
        }
    }
}

/// <summary>The swarm runner image's method (the engines area's).</summary>
public sealed class SwarmRunnerEndpoints(SwarmRunners runners) : IEndpoints
{
    public void Map(RequestRouter router) => router.Add(Contract.EnginesRunnerImage, (p, ct) => runners.EnsurePushedAsync(p, ct));
}
