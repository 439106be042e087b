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
    public static StdioClientTransportOptions Options(McpServerConfig config, IVault vault, string workingDirectory, McpSecrets? secrets = null, Sandbox.SandboxPolicy? policy = null)
    {
        if (string.IsNullOrWhiteSpace(config.Command)) throw new McpException($"MCP server '{config.Slug}' has no command.");
        for (var i = 0; i < config.Args.Count; i++)
            if (config.Args[i].Contains(VaultReference.Scheme, StringComparison.Ordinal))
                throw new McpException($"MCP server '{config.Slug}': argument {i + 1} holds a vault:// reference. Secrets go in env (NAME=vault://...), never in arguments, which other processes can read.");

        var environment = ChildEnvironment.Build();
        foreach (var (name, value) in config.Env) environment[name] = Resolve(config.Slug, name, value, vault, secrets);
        // One server per policy, shared by the chats and tasks under it (the workspace's when none is given), its command wrapped.
        var (program, arguments, wrapped) = ChildLauncher.Wrap(new ChildCommand
        {
            Program = config.Command,
            Arguments = config.Args,
            WorkingDirectory = workingDirectory,
            Environment = env =>
            {
                foreach (var (name, value) in environment) env[name] = value;
            },
            // Installed in the home (npx's cache, a venv): the home is readable to it, as to an agent; the files its
            // command line names (its script) too, wherever they are.
            Policy = (policy ?? Sandbox.AgentSandbox.Workspace) with { HideHome = false },
            // With no folder open it runs in the home, which stays hidden rather than bound back writable.
            Places = Sandbox.SandboxPlaces.For(workingDirectory == Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) ? [] : [workingDirectory])
                with { ReadOnly = [.. config.Args.Prepend(config.Command).Where(a => Path.IsPathRooted(a) && File.Exists(a))] },
        });
        return new StdioClientTransportOptions
        {
            Name = config.Slug,
            Command = program,
            Arguments = arguments,
            WorkingDirectory = workingDirectory,
            InheritEnvironmentVariables = false,
            EnvironmentVariables = wrapped,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        };
    }

    private static string? Resolve(string server, string name, string value, IVault vault, McpSecrets? secrets)
    {
        if (!value.StartsWith(VaultReference.Scheme, StringComparison.Ordinal)) return value;
        if (!VaultReference.TryParse(value, out var reference, out var error)) throw new McpException($"MCP server '{server}', variable {name}: {error}.");
        var secret = vault.Resolve(reference.ToString())
            ?? throw new McpException($"MCP server '{server}', variable {name}: the vault has nothing under {reference}; store it with vault/store.");
        secrets?.Add(secret);
        return secret;
    }
}
