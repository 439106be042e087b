using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Acp;
using Plue.Rpc;

namespace Plue.Providers.Acp;

/// <summary>The result of <see cref="AcpAgentProbe.TestAsync"/>: what the agent said it is, or why it did not answer.</summary>
internal sealed record AcpProbeResult(bool Ok, long LatencyMs, string? Agent, string? Error);

/// <summary>
/// An ACP agent instance's test: the agent's command started as a chat would start it, asked <c>initialize</c>, and
/// stopped. An agent has no endpoint to probe; that it starts and answers is what a chat needs first.
/// </summary>
internal static class AcpAgentProbe
{
    public static async Task<AcpProbeResult> TestAsync(ProviderConnection connection, Sandbox.SandboxPolicy policy, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var name = AcpAgentProcess.Name(connection);
        AcpAgentProcess process;
        try
        {
            process = AcpAgentProcess.Start(connection, Path.GetTempPath(), new RequestRouter(), NullLogger.Instance, policy);
        }
        catch (ProviderException e)
        {
            return new(false, clock.ElapsedMilliseconds, null, e.Message);
        }
        await using (process.ConfigureAwait(false))
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(connection.FirstByteTimeoutMs));
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                var answer = await process.Peer.RequestAsync(AcpMethods.InitializeAgent, AcpAgentSession.InitializeRequest(files: true), linked.Token).ConfigureAwait(false);
                return new(true, clock.ElapsedMilliseconds, Describe(answer), null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new(false, clock.ElapsedMilliseconds, null,
                    $"The ACP agent '{name}' did not answer initialize within {connection.FirstByteTimeoutMs / 1000} s: check its command and arguments, or raise its first-byte timeout.");
            }
            catch (IOException)
            {
                var code = await process.ExitCodeAsync().ConfigureAwait(false);
                var lines = string.Join(" | ", process.StderrTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(5));
                return new(false, clock.ElapsedMilliseconds, null,
                    $"The ACP agent '{name}' exited before answering initialize (exit code {code?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}){(lines.Length == 0 ? "" : ": " + ProviderErrors.Scrub(connection, lines))}. Run its command in a terminal to see why.");
            }
            catch (RpcException e) when (e.Code == ErrorCodes.MethodNotFound)
            {
                // It speaks JSON-RPC but knows nothing of ACP: some other server, or an agent started without its ACP switch.
                return new(false, clock.ElapsedMilliseconds, null,
                    $"The program of '{name}' answered, but not as an ACP agent: check that its command and arguments start the agent in its ACP mode (for example gemini --experimental-acp).");
            }
            catch (RpcException e)
            {
                return new(false, clock.ElapsedMilliseconds, null, $"The ACP agent '{name}' refused to start: {e.Message}");
            }
        }
    }

    /// <summary>"Scripted Agent 1.2.0, ACP protocol 1", from what the agent answered (each part only when it said it).</summary>
    private static string Describe(JsonElement answer)
    {
        var info = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("agentInfo", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
        string? Text(string property) => info.ValueKind == JsonValueKind.Object && info.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var who = string.Join(' ', new[] { Text("title") ?? Text("name") ?? "the agent", Text("version") }.OfType<string>());
        var protocol = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("protocolVersion", out var p) && p.ValueKind == JsonValueKind.Number
            ? $", ACP protocol {p.GetRawText()}" : "";
        return who + protocol;
    }
}
