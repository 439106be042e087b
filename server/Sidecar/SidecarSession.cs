using Plue.Protocol;

namespace Plue.Sidecar;

/// <summary>
/// What the client told the sidecar at initialize (home, workspace, trust). Features read it;
/// on the command line, where no client initializes, it holds the defaults.
/// </summary>
public sealed class SidecarSession
{
    private InitializationOptions _options = new();
    private string? _home;
    private readonly Lock _gate = new();
    private bool _initialized;
    private Action? _onInitialized;

    public InitializationOptions Options => _options;

    /// <summary>PLUE_HOME, created on first use.</summary>
    public string Home => _home ??= PlueHome.Ensure(PlueHome.Resolve(null));

    public IReadOnlyList<string> WorkspaceFolders => _options.WorkspaceFolders ?? [];

    /// <summary>Untrusted workspaces get no workspace templates, prompts or CLI paths.</summary>
    public bool WorkspaceTrusted => _options.Trusted ?? false;

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

    public void Initialize(InitializationOptions? options)
    {
        _options = options ?? new InitializationOptions();
        _home = PlueHome.Ensure(PlueHome.Resolve(_options.PlueHome));
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
