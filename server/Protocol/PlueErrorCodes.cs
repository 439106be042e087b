namespace Plue.Protocol;

/// <summary>
/// The project's own JSON-RPC error codes, -33000 and below, apart from JSON-RPC's and LSP's (-32xxx). The error's
/// message is written for people and may be shown as it is; the code says what a client can do about it.
/// </summary>
public static class PlueErrorCodes
{
    /// <summary>The request names something that does not exist (a record, an instance, a message, a template).</summary>
    public const int NotFound = -33001;

    /// <summary>An optimistic-concurrency check failed: the caller's <c>version</c> is stale, or a name was taken meanwhile. Reload and retry.</summary>
    public const int Conflict = -33002;

    /// <summary>A provider call failed; the message says why and what to do, <c>data</c> may carry the provider's own error.</summary>
    public const int ProviderError = -33003;

    /// <summary>The vault cannot be opened (a wrong key, a tampered file); the secrets are untouched.</summary>
    public const int VaultError = -33004;

    /// <summary>An MCP server did not start or did not list its tools; the message says why.</summary>
    public const int McpServerError = -33005;

    /// <summary>
    /// The store (plue.db) was written by a newer Plue: nothing in it is read or changed. <c>data</c>: <c>{store, version,
    /// readsUpTo}</c>, the store's path and versions; the window offers its folder and the export to run with the newer Plue.
    /// </summary>
    public const int StoreNewer = -33006;
}
