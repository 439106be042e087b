using Plue.Workspace;

namespace Plue.Codex.Content;

/// <summary>
/// Where templates and prompts come from, lowest precedence first: shipped beside the
/// sidecar, then PLUE_HOME, then each trusted workspace folder's <c>.plue/</c>.
/// </summary>
public sealed class ContentRoots
{
    private readonly WorkspaceContext _session;
    private readonly string _shippedBase;

    public ContentRoots(WorkspaceContext session) : this(session, DefaultShippedBase) { }

    internal ContentRoots(WorkspaceContext session, string shippedBase)
    {
        _session = session;
        _shippedBase = shippedBase;
    }

    /// <summary>Folders holding <paramref name="kind"/> ("templates" or "prompts"), with their source name.</summary>
    public IReadOnlyList<ContentRoot> For(string kind)
    {
        var roots = new List<ContentRoot>
        {
            new("shipped", Path.Combine(_shippedBase, kind)),
            new("home", Path.Combine(_session.Home, kind)),
        };
        // An untrusted workspace could plant templates or prompts that steer agents: never read them.
        if (_session.Trusted)
            roots.AddRange(_session.Folders.Select(f => new ContentRoot("workspace", Path.Combine(f, ".plue", kind))));
        return roots;
    }

    /// <summary>Shipped content is copied beside the sidecar at build time.</summary>
    public static string DefaultShippedBase => AppContext.BaseDirectory;
}

public sealed record ContentRoot(string Source, string Directory);
