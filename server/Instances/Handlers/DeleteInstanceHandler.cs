using System.Text.Json.Serialization.Metadata;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Instances.Handlers;

/// <summary><c>instances/delete {id}</c>: the record and the vault entry it owns.</summary>
public sealed class DeleteInstanceHandler(InstanceService instances) : RequestHandler<IdParams, DeletedResult>
{
    public override string Method => Methods.InstancesDelete;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<DeletedResult> ResultType => PlueJsonContext.Default.DeletedResult;

    public override ValueTask<DeletedResult> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Delete(request.Id));

    private DeletedResult Delete(string id)
    {
        instances.Delete(id);
        return new DeletedResult { Deleted = true };
    }
}
