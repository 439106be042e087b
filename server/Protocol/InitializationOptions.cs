namespace Plue.Protocol;

public sealed record InitializationOptions
{
    public string? PlueHome { get; init; }
    /// <summary>
    /// A vault master key the client kept (base64); never logged, never echoed. The home's own key (PLUE_VAULT_KEY, else
    /// $PLUE_HOME/vault.key) comes first: this one opens a vault.bin written with it, and becomes the home's key file
    /// when the home has none, so the command line opens that vault too.
    /// </summary>
    public string? VaultKey { get; init; }
    public IReadOnlyList<string>? WorkspaceFolders { get; init; }
    public bool? Trusted { get; init; }
}
