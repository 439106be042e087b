using Plue.Sidecar;

namespace Plue.Codex.Content;

/// <summary>
/// Where templates and prompts come from, lowest precedence first: shipped beside the
/// sidecar, then PLUE_HOME, then each trusted workspace folder's <c>.plue/</c>.
/// </summary>
public sealed class ContentRoots(SidecarSession session)
{
    /// <summary>Folders holding <paramref name="kind"/> ("templates" or "prompts"), with their source name.</summary>
    public IReadOnlyList<ContentRoot> For(string kind)
    {
        var roots = new List<ContentRoot>
        {
            new("shipped", Path.Combine(ShippedBase, kind)),
            new("home", Path.Combine(session.Home, kind)),
        };
        // An untrusted workspace could plant templates or prompts that steer agents: never read them.
        if (session.WorkspaceTrusted)
            roots.AddRange(session.WorkspaceFolders.Select(f => new ContentRoot("workspace", Path.Combine(f, ".plue", kind))));
        return roots;
    }

    /// <summary>The shipped content: beside the sidecar, or PLUE_SHIPPED_CONTENT for tests of alternatives.</summary>
    public static string ShippedBase { get; } = Environment.GetEnvironmentVariable("PLUE_SHIPPED_CONTENT") is { Length: > 0 } dir ? dir : AppContext.BaseDirectory;
}

public sealed record ContentRoot(string Source, string Directory);
