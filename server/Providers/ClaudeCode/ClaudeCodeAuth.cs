using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Plue.Protocol;

namespace Plue.Providers.ClaudeCode;

/// <summary>Is the CLI there (<c>claude --version</c>) and logged in (<c>claude auth status --json</c>, exit 0 / 1)?</summary>
public static class ClaudeCodeAuth
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    /// <summary>The CLI the user has, as its own login sees it (Check Claude Code Login).</summary>
    /// <param name="environment">Extra variables for the child (a null value removes one), e.g. CLAUDE_CONFIG_DIR.</param>
    public static Task<ClaudeCodeAuthResult> GetStatusAsync(string? cliPath, IReadOnlyDictionary<string, string?>? environment, CancellationToken cancellationToken) =>
        GetStatusAsync(cliPath, child =>
        {
            ClaudeCodeEnvironment.ApplyBase(child);
            child["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
            foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            {
                if (value is null) child.Remove(name);
                else child[name] = value;
            }
        }, cancellationToken);

    /// <summary>
    /// An instance's CLI with the environment its chats get (<see cref="ClaudeCodeEnvironment.Apply"/>): its own
    /// credential and endpoint, so an instance that holds an API key tests as logged in with that key.
    /// </summary>
    /// <param name="overrides">The host's variables for every claude child (<see cref="ClaudeCodeChildEnvironment"/>).</param>
    public static Task<ClaudeCodeAuthResult> GetStatusAsync(ProviderConnection connection, IReadOnlyDictionary<string, string?>? overrides, CancellationToken cancellationToken) =>
        GetStatusAsync(connection.CliPath, child => ClaudeCodeEnvironment.Apply(child, connection, overrides), cancellationToken);

    private static async Task<ClaudeCodeAuthResult> GetStatusAsync(string? cliPath, Action<IDictionary<string, string?>> environment, CancellationToken cancellationToken)
    {
        var cli = ClaudeCodeEnvironment.ResolveCli(cliPath);
        if (cli is null) return new ClaudeCodeAuthResult { Installed = false, LoggedIn = false, Error = "claude was not found on PATH" };
        if (!File.Exists(cli)) return new ClaudeCodeAuthResult { Installed = false, Path = cli, LoggedIn = false, Error = $"{cli} does not exist" };
        string version;
        try
        {
            var run = await RunAsync(cli, ["--version"], environment, cancellationToken).ConfigureAwait(false);
            if (run.ExitCode != 0) return new ClaudeCodeAuthResult { Installed = false, Path = cli, LoggedIn = false, Error = $"claude --version failed: {run.Error.Trim()}" };
            // "2.1.197 (Claude Code)"
            version = run.Output.Trim().Split(' ', 2)[0];
        }
        catch (Win32Exception e)
        {
            return new ClaudeCodeAuthResult { Installed = false, Path = cli, LoggedIn = false, Error = e.Message };
        }
        catch (TimeoutException e)
        {
            return new ClaudeCodeAuthResult { Installed = false, Path = cli, LoggedIn = false, Error = e.Message };
        }
        try
        {
            var status = await RunAsync(cli, ["auth", "status", "--json"], environment, cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(status.Output);
            var root = json.RootElement;
            return new ClaudeCodeAuthResult
            {
                Installed = true,
                Path = cli,
                Version = version,
                LoggedIn = root.TryGetProperty("loggedIn", out var loggedIn) && loggedIn.ValueKind == JsonValueKind.True,
                AuthMethod = ClaudeCodeWire.String(root, "authMethod"),
            };
        }
        catch (Exception e) when (e is JsonException or TimeoutException or Win32Exception)
        {
            return new ClaudeCodeAuthResult { Installed = true, Path = cli, Version = version, LoggedIn = false, Error = $"claude auth status failed: {e.Message}" };
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string cli, string[] args,
        Action<IDictionary<string, string?>> environment, CancellationToken cancellationToken)
    {
        // --version and auth status read the CLI's own sign-in: nothing the agent chose, so unconfined.
        var start = Processes.ChildLauncher.StartInfo(new Processes.ChildCommand { Program = cli, Arguments = args, Environment = environment });
        using var process = Process.Start(start) ?? throw new Win32Exception($"could not start {cli}");
        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(s_timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var error = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"claude {string.Join(' ', args)} did not answer within {s_timeout.TotalSeconds:0} s");
        }
    }
}
