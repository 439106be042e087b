using Plue.Protocol;
using Plue.Rpc;

namespace Plue.LanguageModels;

/// <summary><c>lm/instanceModels</c> and <c>lm/respond</c>: Plue's instances as models of VS Code's model picker.</summary>
public sealed class LanguageModelEndpoints(PlueModels models, PlueModelResponder responder) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.LmInstanceModels, (_, ct) => models.ListAsync(ct));
        router.Add(Contract.LmRespond, responder.RespondAsync);
    }
}
