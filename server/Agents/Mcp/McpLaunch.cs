using ModelContextProtocol.Client;
using Plue.Codex.References;
using Plue.Processes;
using Plue.Vault;

namespace Plue.Agents.Mcp;

/// <summary>
/// How a configured server is started: its arguments as written (a secret there is refused, since argv is visible to
/// every process and logged), and an environment of only the basics plus its own variables, vault references resolved
/// here, in memory (<see cref="ChildEnvironment"/>). The sidecar's environment, with its keys, is not passed on.
/// </summary>
public static class McpLaunch
{
    /// <param name="secrets">Gets each value resolved from the vault, to scrub from what the server sends back.</param>
    public static StdioClientTransportOptions Options(McpServerConfig config, IVault vault, string workingDirectory, McpSecrets? secrets = null, Sandbox.SandboxPolicy? policy = null,
        Sandbox.SandboxWatch? watch = null, string? plueHome = null, Sandbox.SandboxProxy? proxy = null)
    {
        if (string.IsNullOrWhiteSpace(config.Command)) throw new McpException($"MCP server '{config.Slug}' has no command.");
        for (var i = 0; i < config.Args.Count; i++)
            if (config.Args[i].Contains(VaultReference.Scheme, StringComparison.Ordinal))
                throw new McpException($"MCP server '{config.Slug}': argument {i + 1} holds a vault:// reference. Secrets go in env (NAME=vault://...), never in arguments, which other processes can read.");

        // A file's cwd is where it runs; what the sandbox shows stays the workspace's.
        var runIn = config.Cwd is { } cwd ? Inside(config, cwd, "cwd", folder: true) : workingDirectory;
        var environment = ChildEnvironment.Build();
        foreach (var (name, value) in OwnEnvironment(config, vault, secrets)) environment[name] = value;
        // One server per policy, shared by the chats and tasks under it (the workspace's when none is given), its command wrapped.
        var (program, arguments, wrapped) = ChildLauncher.Wrap(new ChildCommand
        {
            Program = config.Command,
            Arguments = config.Args,
            WorkingDirectory = runIn,
            Environment = env =>
            {
                foreach (var (name, value) in environment) env[name] = value;
            },
            // Installed in the home (npx's cache, a venv): the home is readable to it, as to an agent; the files its
            // command line names (its script) too, wherever they are.
            Policy = Policy(policy),
            // With no folder open it runs in the home, which stays hidden rather than bound back writable.
            Places = Sandbox.SandboxPlaces.For(workingDirectory == Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) ? [] : [workingDirectory], plueHome)
                with { ReadOnly = [.. config.Args.Prepend(config.Command).Where(a => Path.IsPathRooted(a) && File.Exists(a))] },
            Watch = watch,
            // Its own proxy under an allow-list (null: the one shared by the children under it), so what it refuses is this server's.
            Proxy = proxy,
            LongLived = true,
        });
        return new StdioClientTransportOptions
        {
            Name = config.Slug,
            Command = program,
            Arguments = arguments,
            WorkingDirectory = runIn,
            InheritEnvironmentVariables = false,
            EnvironmentVariables = wrapped,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        };
    }

    /// <summary>
    /// The server's own variables: an MCP file's envFile, then its env, which wins (vault references resolved here, in
    /// memory). Its envFile's values are the server's credentials as much as env's are: each is scrubbed from its answers.
    /// </summary>
    public static Dictionary<string, string?> OwnEnvironment(McpServerConfig config, IVault vault, McpSecrets? secrets)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in config.EnvFile is { } envFile ? DotEnv(config, envFile) : [])
        {
            environment[name] = value;
            if (value.Length > 0) secrets?.Add(value);
        }
        foreach (var (name, value) in config.Env) environment[name] = Resolve(config.Slug, name, value, vault, secrets);
        return environment;
    }

    /// <summary>
    /// The policy a stdio server runs under: its callers' (the workspace's already chosen when they name none,
    /// <see cref="Sandbox.SandboxContext.Or"/>; none at all: unconfined), the home readable.
    /// </summary>
    public static Sandbox.SandboxPolicy Policy(Sandbox.SandboxPolicy? policy) => (policy ?? Sandbox.SandboxPolicy.Off) with { HideHome = false };

    /// <summary>
    /// The SDK's stdio transport over <paramref name="options"/>, which starts the server on the thread that connects.
    /// Sandboxed, that is the launcher's thread (<see cref="ChildLauncher.OnLauncherThread"/>): bwrap's
    /// <c>--die-with-parent</c> follows the thread that started it, and a pool thread that idles ends, killing the server.
    /// </summary>
    /// <param name="held">What the server's sandbox holds while it runs (its placeholders), released when its transport is closed.</param>
    public static IClientTransport Transport(StdioClientTransportOptions options, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory, IDisposable? held = null)
    {
        var stdio = new StdioClientTransport(options, loggerFactory);
        if (Sandbox.Bubblewrap.Executable is { } bwrap && options.Command == bwrap) return new LauncherThreadTransport(stdio, ChildLauncher.SharesAbstractSockets(options.Arguments), held);
        held?.Dispose();
        return stdio;
    }

    /// <summary>Connects <paramref name="inner"/> on the launcher's thread; its connect starts the process and returns at once.</summary>
    private sealed class LauncherThreadTransport(IClientTransport inner, bool sharesAbstractSockets, IDisposable? held) : IClientTransport
    {
        public string Name => inner.Name;

        public async Task<ModelContextProtocol.Protocol.ITransport> ConnectAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                var connected = await ChildLauncher.OnLauncherThread(() => inner.ConnectAsync(cancellationToken), sharesAbstractSockets).ConfigureAwait(false);
                return held is null ? connected : new HoldingTransport(connected, held);
            }
            catch
            {
                held?.Dispose();
                throw;
            }
        }
    }

    /// <summary>A connected server's transport that releases what its sandbox held when it is closed.</summary>
    private sealed class HoldingTransport(ModelContextProtocol.Protocol.ITransport inner, IDisposable held) : ModelContextProtocol.Protocol.ITransport
    {
        public string? SessionId => inner.SessionId;

        public System.Threading.Channels.ChannelReader<ModelContextProtocol.Protocol.JsonRpcMessage> MessageReader => inner.MessageReader;

        public Task SendMessageAsync(ModelContextProtocol.Protocol.JsonRpcMessage message, CancellationToken cancellationToken = default) =>
            inner.SendMessageAsync(message, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                held.Dispose();
            }
        }
    }

    /// <summary>The real path of a file server's <c>cwd</c> or <c>envFile</c>, which must lie inside the folder its file is under.</summary>
    private static string Inside(McpServerConfig config, string path, string field, bool folder)
    {
        var root = config.FileRoot ?? throw new McpException($"MCP server '{config.Slug}': its {field} needs the folder its file is in, and it has none.");
        var relative = Path.GetRelativePath(root, path);
        var real = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? null : Codex.Content.ConfinedPath.Resolve(root, relative);
        if (real is null || (folder ? !Directory.Exists(real) : !File.Exists(real)))
            throw new McpException($"MCP server '{config.Slug}' ({config.File}): its {field} {path} is not {(folder ? "a folder" : "a file")} inside {root}; " +
                $"correct {field} in {config.File} to one there (links leading outside are not followed).");
        return real;
    }

    /// <summary>An envFile's NAME=value lines (<c>#</c> comments, blank lines and <c>export </c> left out; quotes around a value dropped).</summary>
    private static List<KeyValuePair<string, string>> DotEnv(McpServerConfig config, string path)
    {
        const int MaxBytes = 64 * 1024;
        string text;
        try
        {
            text = Codex.Content.ContentFile.Read(config.FileRoot!, Path.GetRelativePath(config.FileRoot!, Inside(config, path, "envFile", folder: false)), MaxBytes);
        }
        catch (Codex.Content.ContentFileException e)
        {
            throw new McpException($"MCP server '{config.Slug}' ({config.File}): its envFile {path} cannot be read: {e.Message}.");
        }
        var found = new List<KeyValuePair<string, string>>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || equals < 1) continue;
            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0]) value = value[1..^1];
            found.Add(KeyValuePair.Create(line[..equals].Trim(), value));
        }
        return found;
    }

    private static string? Resolve(string server, string name, string value, IVault vault, McpSecrets? secrets)
    {
        if (!value.StartsWith(VaultReference.Scheme, StringComparison.Ordinal)) return value;
        if (!VaultReference.TryParse(value, out var reference, out var error)) throw new McpException($"MCP server '{server}', variable {name}: {error}.");
        var secret = vault.Resolve(reference.ToString())
            ?? throw new McpException($"MCP server '{server}', variable {name}: the vault no longer holds its secret; set the variable again in the server's settings.");
        secrets?.Add(secret);
        return secret;
    }
}
