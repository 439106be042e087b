using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Checkpoints;

/// <summary>The checkpoint methods: a chat's or task's turns that changed files, a turn's diff, restore.</summary>
public sealed class CheckpointEndpoints(CheckpointStore store, CheckpointRestorer restorer) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.CheckpointList, p => store.List(p.SessionId));
        router.Add(Contract.CheckpointDiff, (p, ct) => store.DiffAsync(p.SessionId, p.CheckpointId, p.Path, ct));
        router.Add(Contract.CheckpointRestore, (p, ct) => restorer.RestoreAsync(p, ct));
    }
}
