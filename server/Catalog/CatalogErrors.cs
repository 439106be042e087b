using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Catalog;

/// <summary>How the catalog methods put the store's refusals to the client.</summary>
internal static class CatalogErrors
{
    /// <summary>Runs a change of the store: every problem is answered in one -32602, an unknown id as not found.</summary>
    public static T Guard<T>(string method, string? id, Func<T> change)
    {
        try
        {
            return change();
        }
        catch (CatalogProblemsException e)
        {
            throw Invalid(method, e);
        }
        catch (KeyNotFoundException)
        {
            throw UnknownProvider(id);
        }
    }

    private static RpcException Invalid(string method, CatalogProblemsException e) =>
        RpcException.InvalidParams(e.Problems.Count == 1
            ? $"{method}: {e.Problems[0]}"
            : $"{method}: {e.Problems.Count} problems: {string.Join("; ", e.Problems)}");

    public static RpcException UnknownProvider(string? id) =>
        PlueErrors.NotFound($"No catalog provider '{id}'; catalog/list shows the ids there are");
}
