using System.Diagnostics;
using Plue.Protocol;
using Plue.Tests.Fakes;

namespace Plue.Bench;

/// <summary>
/// Claude Code's warm turn: a chat's later turns on a claude-code instance, time to the first delta through the
/// sidecar, beside the same claude CLI driven directly (stream-json in and out, one live process, the same fake
/// Anthropic model on 127.0.0.1): what the sidecar adds to a turn on a CLI that is already running.
/// </summary>
internal static class ClaudeTurnFigures
{
    private const string Model = "claude-fake-1";
    private const string Key = "loopback-bench-key-not-real";

    public static async Task AddAsync(BenchTargets targets, Figures figures)
    {
        var (claude, found) = CliBench.ClaudePath(null);
        if (!found)
        {
            Console.WriteLine($"Claude Code warm turn: no claude CLI at {claude} (tests/support/install-claude.sh installs it); not measured");
            return;
        }
        var root = Directory.CreateTempSubdirectory("plue-bench-claude-turn-").FullName;
        // The CLIs write their transcripts into the config folder until they exit: the folder goes once both have.
        try
        {
            await using var fake = ScriptedAnthropicServer.Start();
            fake.Fallback = _ => ScriptedReply.Text("Pong, from the fake model.");
            var environment = new Dictionary<string, string>
            {
                ["CLAUDE_CONFIG_DIR"] = Directory.CreateDirectory(Path.Combine(root, "claude-config")).FullName,
                ["CLAUDE_CODE_MAX_RETRIES"] = "0",
            };
            await using var chat = await ChatSidecar.StartAsync(targets.Sidecar, Path.Combine(root, "plue-home"), providerUrl: null, environment);
            var instance = await chat.Peer.RequestAsync(Contract.InstancesCreate, new CreateInstanceParams
            {
                DisplayName = "Claude Code", CatalogProviderId = "claude-code", Endpoint = fake.BaseUrl, ApiKey = Key, CliPath = claude,
            });
            var session = await chat.NewChatAsync("Claude", instance.Id, Model);
            await using var direct = DirectCli.Start(claude, root, fake.BaseUrl);
            // The first turn of each spawns its CLI; the rows are the turns after it.
            await chat.TurnAsync(session, "ping");
            await direct.TurnAsync("ping");
            await figures.CompareAsync("Claude Code: warm turn, time to first delta", "ms", "the claude CLI driven directly", targets.Rounds(10, 4), warmUp: 1,
                async () => (await chat.TurnAsync(session, "ping"))[0], () => direct.TurnAsync("ping"), "≤ +5 ms");
        }
        finally
        {
            await DeleteWhenQuietAsync(root);
        }
    }

    /// <summary>
    /// Removes the run's folder; a CLI killed at the end may still be writing its last transcript line into it, so a
    /// folder that is not yet empty is tried again, and one that stays so is left in the temp folder, said.
    /// </summary>
    private static async Task DeleteWhenQuietAsync(string root)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(root, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                await Task.Delay(200);
            }
            catch (IOException e)
            {
                Console.WriteLine($"Claude Code warm turn: the run's folder {root} was left behind ({e.Message})");
                return;
            }
        }
    }

    /// <summary>The claude CLI as the sidecar runs it (stream-json both ways), with no sidecar: the floor of a warm turn.</summary>
    private sealed class DirectCli : IAsyncDisposable
    {
        private readonly Process _process;

        private DirectCli(Process process) => _process = process;

        public static DirectCli Start(string claude, string root, string baseUrl)
        {
            var start = new ProcessStartInfo(claude) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages", "--input-format", "stream-json", "--model", Model })
                start.ArgumentList.Add(a);
            start.Environment.Clear();
            start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
            start.Environment["HOME"] = Directory.CreateDirectory(Path.Combine(root, "direct-home")).FullName;
            start.Environment["CLAUDE_CONFIG_DIR"] = Directory.CreateDirectory(Path.Combine(root, "direct-config")).FullName;
            start.Environment["CLAUDE_CODE_MAX_RETRIES"] = "0";
            start.Environment["ANTHROPIC_BASE_URL"] = baseUrl;
            start.Environment["ANTHROPIC_API_KEY"] = Key;
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the claude CLI");
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            return new DirectCli(process);
        }

        /// <summary>Sends one user message; the ms to its first text delta, after reading the turn to its result.</summary>
        public async Task<double> TurnAsync(string text)
        {
            var clock = Stopwatch.StartNew();
            await _process.StandardInput.WriteLineAsync(
                "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}}");
            await _process.StandardInput.FlushAsync();
            double? first = null;
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (first is null && line.Contains("\"text_delta\"", StringComparison.Ordinal)) first = clock.Elapsed.TotalMilliseconds;
                if (line.StartsWith("{\"type\":\"result\"", StringComparison.Ordinal)) return first ?? throw new InvalidOperationException("the CLI's turn had no text");
            }
            throw new InvalidOperationException("the claude CLI ended mid-turn");
        }

        public async ValueTask DisposeAsync()
        {
            _process.StandardInput.Close();
            if (!await WaitAsync(TimeSpan.FromSeconds(5))) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }

        private async Task<bool> WaitAsync(TimeSpan limit)
        {
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}
