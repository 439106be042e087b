using System.Diagnostics;
using Microsoft.Extensions.AI;
using Plue.Instances;
using Plue.Providers.ClaudeCode;
using Plue.Providers;
using Plue.Tests.Fakes;

namespace Plue.Bench;

/// <summary>
/// What the long-lived claude process saves: time to first token of a follow-up turn on the live process vs. a turn
/// that spawns a fresh CLI, both against the loopback fake Anthropic server (so the model costs ~nothing), median of
/// <see cref="Samples"/> each. Target: warm / cold ≤ 0.2.
/// </summary>
internal static class ClaudeBench
{
    private const int Samples = 7;
    private const string Model = "claude-fake-1";

    public static async Task<int> RunAsync(string? cliPath)
    {
        var cli = cliPath ?? Environment.GetEnvironmentVariable("PLUE_CLAUDE_CLI")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "plue-vscode", "claude", "node_modules", ".bin", "claude");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"claude CLI not found at {cli}: run tests/support/install-claude.sh or pass --claude <path>");
            return 2;
        }
        var root = Directory.CreateTempSubdirectory("plue-bench-claude-").FullName;
        await using var fake = ScriptedAnthropicServer.Start();
        fake.Fallback = _ => ScriptedReply.Text("Pong, from the fake model.");
        var connection = new ProviderConnection
        {
            InstanceId = "bench", ProviderType = "claude-code", CatalogProviderId = "anthropic",
            Endpoint = fake.BaseUrl, ApiKey = "loopback-bench-key-not-real", CliPath = cli,
        };
        var environment = new Dictionary<string, string?>
        {
            ["CLAUDE_CONFIG_DIR"] = Directory.CreateDirectory(Path.Combine(root, "config")).FullName,
            ["HOME"] = Directory.CreateDirectory(Path.Combine(root, "home")).FullName,
        };
        await using var sessions = new ClaudeCodeSessions();
        using var client = new ClaudeCodeChatClient(connection, new ClaudeCodeChatClientOptions
        {
            WorkingDirectory = Directory.CreateDirectory(Path.Combine(root, "workspace")).FullName,
            Environment = environment,
            Sessions = sessions,
        });

        List<double> cold = [];
        for (var i = -1; i < Samples; i++) // one unrecorded spawn warms the disk cache and this process's JIT
        {
            var id = $"cold-{i}";
            var ms = await FirstTokenMsAsync(client, id);
            await sessions.CloseAsync(id);
            if (i >= 0) cold.Add(ms);
        }
        List<double> warm = [];
        await FirstTokenMsAsync(client, "warm"); // the spawn
        HashSet<int?> processes = [sessions.Find("warm")?.ProcessId]; // the warm turns' CLI processes: one, unless one was respawned
        for (var i = -1; i < Samples; i++)
        {
            var ms = await FirstTokenMsAsync(client, "warm");
            processes.Add(sessions.Find("warm")?.ProcessId);
            if (i >= 0) warm.Add(ms);
        }
        await sessions.CloseAsync("warm");
        Directory.Delete(root, recursive: true);

        double coldMedian = Stats.Percentile(cold, 50), warmMedian = Stats.Percentile(warm, 50);
        Console.WriteLine($"claude ({cli}): time to first token, median of {Samples} (fake model on 127.0.0.1)");
        Console.WriteLine($"  cold spawn (new process):   {Stats.Ms(coldMedian)}   (min {Stats.Ms(cold.Min())}, max {Stats.Ms(cold.Max())})");
        Console.WriteLine($"  second turn (live process): {Stats.Ms(warmMedian)}   (min {Stats.Ms(warm.Min())}, max {Stats.Ms(warm.Max())}; {processes.Count} process for {Samples + 2} turns)");
        Console.WriteLine($"  ratio warm/cold:            {warmMedian / coldMedian:F3}   (target ≤ 0.2)");
        return 0;
    }

    private static async Task<double> FirstTokenMsAsync(ClaudeCodeChatClient client, string conversationId)
    {
        var options = new ChatOptions { ConversationId = conversationId, ModelId = Model };
        var clock = Stopwatch.StartNew();
        double? first = null;
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "ping")], options))
            if (first is null && update.Contents.OfType<TextContent>().Any(t => t.Text.Length > 0)) first = clock.Elapsed.TotalMilliseconds;
        return first ?? throw new InvalidOperationException("the turn produced no text");
    }
}
