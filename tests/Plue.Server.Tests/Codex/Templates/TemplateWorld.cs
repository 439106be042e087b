using Microsoft.Extensions.Logging.Abstractions;
using Plue.Codex.Content;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Workspace;
using Plue.Tests.Support;

namespace Plue.Tests.Codex.Templates;

/// <summary>Real folders for shipped, home and workspace templates, and a registry over them.</summary>
internal sealed class TemplateWorld : IDisposable
{
    private readonly TempDir _dir = new();

    public TemplateWorld(bool trusted = true, bool withShipped = false)
    {
        Shipped = Directory.CreateDirectory(System.IO.Path.Combine(_dir.Path, "shipped", "templates")).FullName;
        Home = System.IO.Path.Combine(_dir.Path, "home");
        Workspace = Directory.CreateDirectory(System.IO.Path.Combine(_dir.Path, "ws")).FullName;
        if (withShipped)
            foreach (var file in Directory.GetFiles(System.IO.Path.Combine(RepoPaths.Root, "templates"), "*.json5"))
                File.Copy(file, System.IO.Path.Combine(Shipped, System.IO.Path.GetFileName(file)));
        Session = new WorkspaceContext();
        Session.Initialize(Home, [Workspace], trusted);
        Roots = new ContentRoots(Session, System.IO.Path.GetDirectoryName(Shipped)!);
        Registry = new TemplateRegistry(Roots, NullLogger<TemplateRegistry>.Instance);
    }

    public string Shipped { get; }
    public string Home { get; }
    public string Workspace { get; }
    public WorkspaceContext Session { get; }
    public ContentRoots Roots { get; }
    public TemplateRegistry Registry { get; }

    public string HomeTemplates => Directory.CreateDirectory(System.IO.Path.Combine(Home, "templates")).FullName;
    public string WorkspaceTemplates => Directory.CreateDirectory(System.IO.Path.Combine(Workspace, ".plue", "templates")).FullName;

    public string Write(string dir, string id, string text)
    {
        var path = System.IO.Path.Combine(dir, id + ".json5");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        Registry.Dispose();
        _dir.Dispose();
    }
}
