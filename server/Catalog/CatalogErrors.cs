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
            throw Invalid(method, e.Problems);
        }
        catch (KeyNotFoundException)
        {
            throw UnknownProvider(id);
        }
    }

    /// <summary>Every problem in one -32602, each naming where it is.</summary>
    public static RpcException Invalid(string method, IReadOnlyList<string> problems) =>
        RpcException.InvalidParams(problems.Count == 1
            ? $"{method}: {problems[0]}"
            : $"{method}: {problems.Count} problems: {string.Join("; ", problems)}");

    public static RpcException UnknownProvider(string? id) =>
        PlueErrors.NotFound($"No catalog provider '{id}'; Add Provider lists the providers there are");
}
