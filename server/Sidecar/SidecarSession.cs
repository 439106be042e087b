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

    public InitializationOptions Options => _options;

    /// <summary>PLUE_HOME, created on first use.</summary>
    public string Home => _home ??= PlueHome.Ensure(PlueHome.Resolve(null));

    public IReadOnlyList<string> WorkspaceFolders => _options.WorkspaceFolders ?? [];

    /// <summary>Untrusted workspaces get no workspace templates, prompts or CLI paths.</summary>
    public bool WorkspaceTrusted => _options.Trusted ?? false;

    /// <summary>Raised once the client has said where home is: work on the store waits for it.</summary>
    public event Action? Initialized;

    public void Initialize(InitializationOptions? options)
    {
        _options = options ?? new InitializationOptions();
        _home = PlueHome.Ensure(PlueHome.Resolve(_options.PlueHome));
        Initialized?.Invoke();
    }
}
