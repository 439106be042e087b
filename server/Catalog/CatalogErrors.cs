using Plue.Rpc;

namespace Plue.Catalog;

/// <summary>How the catalog handlers put the store's refusals to the client.</summary>
internal static class CatalogErrors
{
    public static RpcException Invalid(string method, CatalogProblemsException e) =>
        RpcException.InvalidParams(e.Problems.Count == 1
            ? $"{method}: {e.Problems[0]}"
            : $"{method}: {e.Problems.Count} problems: {string.Join("; ", e.Problems)}");

    public static RpcException UnknownProvider(string? id) =>
        RpcException.NotFound($"No catalog provider '{id}'; catalog/list shows the ids there are");
}
