namespace Plue.Workspace;

/// <summary>
/// Where this sidecar works, as the client said at initialize: the home of the store, the open workspace folders and
/// whether the user trusts them. Features read it; on the command line, where no client initializes, it holds the
/// defaults (PLUE_HOME or ~/.plue, no folders, untrusted).
/// </summary>
public sealed class WorkspaceContext
{
    private readonly Lock _gate = new();
    private string? _home;
    private bool _initialized;
    private Action? _onInitialized;

    /// <summary>PLUE_HOME, created (private to the user) on first use.</summary>
    public string Home => _home ??= PlueHome.Ensure(PlueHome.Resolve(null));

    public IReadOnlyList<string> Folders { get; private set; } = [];

    /// <summary>Untrusted workspaces get no workspace templates, prompts or CLI paths, and every tool use is asked.</summary>
    public bool Trusted { get; private set; }

    /// <summary>When the client initialized (Unix ms): work that starts later still sees what happened since.</summary>
    public long InitializedAtMs { get; private set; }

    /// <summary>The vault's master key (base64) the client keeps for this home; never logged, never echoed.</summary>
    public string? VaultKey { get; private set; }

    /// <summary>
    /// Raised once the client has said where home is: work on the store waits for it. A handler
    /// added after that runs at once, since the client may initialize before a feature starts.
    /// </summary>
    public event Action? Initialized
    {
        add
        {
            lock (_gate)
            {
                if (!_initialized)
                {
                    _onInitialized += value;
                    return;
                }
            }
            value?.Invoke();
        }
        remove
        {
            lock (_gate) _onInitialized -= value;
        }
    }

    /// <param name="home">The client's choice of home; null for PLUE_HOME or ~/.plue.</param>
    public void Initialize(string? home, IReadOnlyList<string>? folders = null, bool trusted = false, string? vaultKey = null)
    {
        Folders = folders ?? [];
        Trusted = trusted;
        VaultKey = vaultKey;
        _home = PlueHome.Ensure(PlueHome.Resolve(home));
        InitializedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Action? handlers;
        lock (_gate)
        {
            _initialized = true;
            handlers = _onInitialized;
            _onInitialized = null;
        }
        handlers?.Invoke();
    }
}
