using System.Diagnostics;
using System.Text.Json;
using Plue.Catalog;
using Plue.Providers.Wire;

namespace Plue.Providers.Discovery;

/// <summary>
/// Tests an instance with the cheapest real call its backend has: the model list (which also checks the key),
/// or Ollama's <c>/api/version</c>. One attempt, no retries, so a dead endpoint is reported at once.
/// </summary>
public static class ProviderProbe
{
    /// <summary>A probe waits at most this long for a first byte, whatever the instance's own timeout.</summary>
    private const int ProbeTimeoutMs = 10_000;

    public static async Task<ProbeResult> TestAsync(ProviderConnection connection, HttpClient http, CancellationToken cancellationToken = default)
    {
        var probe = connection with
        {
            MaxAttempts = 1,
            FirstByteTimeoutMs = Math.Min(connection.FirstByteTimeoutMs, ProbeTimeoutMs),
            TimeoutMs = Math.Min(connection.TimeoutMs, ProbeTimeoutMs),
            StallTimeoutMs = Math.Min(connection.StallTimeoutMs, ProbeTimeoutMs),
        };
        var clock = Stopwatch.StartNew();
        try
        {
            int? count;
            if (connection.ProviderType == ProviderTypes.Ollama)
            {
                var root = OllamaModelInfo.NativeBase(connection.Endpoint ?? "");
                var bytes = await new ProviderTransport(http, probe).GetBytesAsync(root + "/api/version", _ => { }, cancellationToken, 1).ConfigureAwait(false);
                _ = JsonSerializer.Deserialize(bytes, ProvidersJsonContext.Default.OllamaVersion);
                count = null;
            }
            else
            {
                count = (await new ModelDiscovery(probe, http).DiscoverAsync(cancellationToken, 1).ConfigureAwait(false)).Count;
            }
            return new ProbeResult(true, clock.ElapsedMilliseconds, count);
        }
        catch (ProviderException ex)
        {
            return new ProbeResult(false, clock.ElapsedMilliseconds, Error: ex.Message, Kind: ex.Kind, Status: ex.Status);
        }
        catch (JsonException ex)
        {
            return new ProbeResult(false, clock.ElapsedMilliseconds, Error: $"{connection.Endpoint} answered, but not as a {connection.ProviderType} server: {ex.Message}");
        }
    }
}
