using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Vault;

namespace Plue.Agents.Mcp;

/// <summary>
/// The servers of the MCP files (docs/CUSTOMIZATIONS.md, MCP servers from files) as servers to start, beside the
/// <c>mcp-server</c> records, never written into the store: VS Code's format (<c>type</c> stdio, http or sse;
/// <c>command</c>, <c>args</c>, <c>env</c>, <c>url</c>, <c>headers</c>) and Claude Code's and Cursor's alike.
/// <c>${env:NAME}</c> is read from the sidecar's environment (for the value only: the server's own environment is still
/// built of the basics and its declared variables), <c>${workspaceFolder}</c> and <c>${userHome}</c> are the folders,
/// and <c>${input:id}</c> is the vault's <c>vault://mcp/&lt;slug&gt;.&lt;id&gt;</c>, asked once and kept there.
/// Its tools ask before each call, as an untrusted record's.
/// </summary>
public static partial class McpFileServers
{
    /// <summary>What a file server's id starts with: <c>file:&lt;its file&gt;#&lt;its name&gt;</c>.</summary>
    public const string IdPrefix = "file:";

    /// <summary>The slug a file's server goes by: its name in lowercase, each run of other characters a hyphen.</summary>
    public static string Slug(string name) => NotSlug().Replace(name.ToLowerInvariant(), "-").Trim('-') is { Length: > 0 } slug ? slug : "server";

    /// <summary>Where an input of a server is kept: the same place a record's secret variable is.</summary>
    public static string InputRef(string slug, string input) => $"vault://mcp/{slug}.{input}";

    /// <summary>The used server as one to start; <paramref name="firstFolder"/> is <c>${workspaceFolder}</c> for the user's files.</summary>
    public static McpServerConfig Config(FileMcpServer server, string? firstFolder, string? home)
    {
        var definition = server.Definition!.Value;
        var slug = Slug(server.Name);
        string Expand(string text) => Placeholder().Replace(text, m => m.Groups[1].Value switch
        {
            "workspaceFolder" => (server.Scope == CustomizationScope.Workspace ? server.Root : firstFolder) ?? "",
            "userHome" => home ?? "",
            var other when other.StartsWith("env:", StringComparison.Ordinal) => Environment.GetEnvironmentVariable(other[4..]) ?? "",
            var other when other.StartsWith("input:", StringComparison.Ordinal) => InputRef(slug, other[6..]),
            _ => m.Value,
        });
        var url = FileMcpServer.Text(definition, "url");
        var type = FileMcpServer.Text(definition, "type");
        var remote = url is not null && type is not "stdio";
        return new McpServerConfig
        {
            Slug = slug,
            Title = server.Name,
            Version = Version(definition),
            // An sse server is reached as a Streamable HTTP one: the transport Plue speaks.
            Transport = remote ? McpServerConfig.Http : McpServerConfig.Stdio,
            Url = remote ? Expand(url!) : "",
            Headers = [.. Members(definition, "headers").Select(h => KeyValuePair.Create(h.Key, Expand(h.Value)))],
            Command = Expand(FileMcpServer.Text(definition, "command") ?? ""),
            Args = definition.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array
                ? [.. args.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => Expand(a.GetString()!))]
                : [],
            Env = [.. Members(definition, "env").Select(e => KeyValuePair.Create(e.Key, Expand(e.Value)))],
            Trusted = false,
            Enabled = true,
            File = server.File,
            Inputs = [.. UsedInputs(server)],
            FileRoot = server.Root,
            Cwd = FileMcpServer.Text(definition, "cwd") is { Length: > 0 } cwd ? Absolute(server.Root, Expand(cwd)) : null,
            EnvFile = FileMcpServer.Text(definition, "envFile") is { Length: > 0 } envFile ? Absolute(server.Root, Expand(envFile)) : null,
        };
    }

    /// <summary>A path of the file, relative to the folder the file is under.</summary>
    private static string Absolute(string? root, string path) => Path.GetFullPath(Path.IsPathRooted(path) || root is null ? path : Path.Combine(root, path));

    /// <summary>
    /// The server as the MCP Servers view shows it: read-only, named by its file; what it runs, and the names of its
    /// variables and headers (never their values: a file may hold a secret, and <c>${env:…}</c> is one's place), each
    /// input with whether the vault holds it.
    /// </summary>
    public static McpServer Server(FileMcpServer server, IReadOnlySet<string> stored)
    {
        var slug = Slug(server.Name);
        var definition = server.Definition;
        var url = definition is { } d ? FileMcpServer.Text(d, "url") : null;
        var remote = url is not null && (definition is not { } t || FileMcpServer.Text(t, "type") is not "stdio");
        var env = definition is { } e ? Members(e, "env") : [];
        return new McpServer
        {
            Id = $"{IdPrefix}{server.Source}#{server.Name}",
            Slug = slug,
            Ref = server.Source,
            Title = server.Name,
            Version = definition is { } v ? Version(v) : 0,
            Transport = remote ? McpServerConfig.Http : McpServerConfig.Stdio,
            Url = remote && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority.Split('@')[^1]}{uri.AbsolutePath}" : null,
            Headers = definition is { } h ? [.. Members(h, "headers").Select(m => m.Key)] : [],
            Command = definition is { } c ? FileMcpServer.Text(c, "command") ?? "" : "",
            Args = [],
            Env = [.. env.Select(pair => Input(pair.Value) is { } input
                ? new McpEnvVar { Name = pair.Key, Value = InputRef(slug, input), Stored = stored.Contains(InputRef(slug, input)) }
                : new McpEnvVar { Name = pair.Key, Value = "" })],
            Trusted = false,
            Enabled = server.Reason is null,
            File = server.File,
            Ignored = server.Reason,
            Inputs = definition is null ? null : Inputs(server, slug, stored),
        };
    }

    /// <summary>The file's inputs this server uses, each with whether the vault holds it; null when it uses none.</summary>
    private static IReadOnlyList<McpServerInput>? Inputs(FileMcpServer server, string slug, IReadOnlySet<string> stored) =>
        UsedInputs(server) is { Count: > 0 } used
            ? [.. used.Select(i => new McpServerInput { Id = i.Id, Description = i.Description, Password = i.Password, Ref = InputRef(slug, i.Id), Stored = stored.Contains(InputRef(slug, i.Id)) })]
            : null;

    /// <summary>The inputs the server's definition names; one the file does not declare is asked for as a secret (nothing says it is not one).</summary>
    private static List<McpFileInput> UsedInputs(FileMcpServer server) =>
        [.. Placeholder().Matches(server.Definition!.Value.GetRawText()).Select(m => m.Groups[1].Value).Where(v => v.StartsWith("input:", StringComparison.Ordinal))
            .Select(v => v[6..]).Distinct().Select(id => server.Inputs.FirstOrDefault(i => i.Id == id) ?? new McpFileInput(id, null, Password: true))];

    private static string? Input(string value) => Placeholder().Match(value) is { Success: true } m && m.Value == value && m.Groups[1].Value.StartsWith("input:", StringComparison.Ordinal) ? m.Groups[1].Value[6..] : null;

    private static List<KeyValuePair<string, string>> Members(JsonElement definition, string name) =>
        definition.TryGetProperty(name, out var members) && members.ValueKind == JsonValueKind.Object
            ? [.. members.EnumerateObject().Where(m => m.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                .Select(m => KeyValuePair.Create(m.Name, m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText()))]
            : [];

    /// <summary>Changes when the server's definition does, so a running one restarts on its next use.</summary>
    private static long Version(JsonElement definition)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(definition.GetRawText()));
        return BitConverter.ToInt64(hash, 0) & long.MaxValue;
    }

    [GeneratedRegex(@"\$\{([A-Za-z][A-Za-z0-9_]*(?::[^}]+)?)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
