using System.Diagnostics;
using System.Net;
using Plue.Outbound;
using Plue.Rpc;

namespace Plue.Providers;

/// <summary>
/// The HTTP behaviour every backend shares: send with retries (only before any byte of the body is consumed,
/// so a retry never duplicates streamed output), the first-byte timeout, and error mapping. Reading the body
/// (and its idle timeout) is <see cref="StreamLineReader"/>'s job.
/// </summary>
internal sealed class ProviderTransport(HttpClient http, ProviderConnection connection)
{
    // A provider's first request of each method, seen by the start-up under PLUE_TIMINGS.
    private static readonly ActivitySource s_steps = new("Plue.Steps");

    public ProviderConnection Connection => connection;

    /// <summary>The same client for another connection (a token or credentials endpoint beside the provider's).</summary>
    public ProviderTransport For(ProviderConnection other) => new(http, other);

    /// <summary>
    /// Sends the request made by <paramref name="build"/> (called once per attempt: a request cannot be sent twice)
    /// and returns a successful response with its headers read and its body not yet touched.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken, int? maxAttempts = null)
    {
        var attempts = Math.Max(1, maxAttempts ?? connection.MaxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            using var request = build();
            using var firstByte = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            firstByte.CancelAfter(connection.FirstByteTimeoutMs);
            HttpResponseMessage response;
            try
            {
                if (s_steps.HasListeners()) s_steps.StartActivity($"provider request: {request.Method} sending")?.Dispose();
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, firstByte.Token).ConfigureAwait(false);
                if (s_steps.HasListeners()) s_steps.StartActivity($"provider request: {request.Method} answered")?.Dispose();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw ProviderErrors.Timeout(connection, firstByte: true, connection.FirstByteTimeoutMs, requestId: null);
            }
            catch (RedirectRefusedException ex)
            {
                throw ProviderErrors.RedirectRefused(connection, ex);
            }
            catch (HttpRequestException ex) when (ex.StatusCode is null)
            {
                if (attempt >= attempts) throw ProviderErrors.Unreachable(connection, ex);
                await Task.Delay(RetryPolicy.Delay(attempt, connection.BaseDelayMs, headers: null), cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (response.IsSuccessStatusCode) return response;

            using (response)
            {
                var status = (int)response.StatusCode;
                var body = await ReadErrorBodyAsync(response, firstByte.Token).ConfigureAwait(false);
                var serverDelay = RetryPolicy.ServerDelay(response.Headers, DateTimeOffset.UtcNow);
                if (attempt < attempts && RetryPolicy.IsRetryable(status, response.Headers))
                {
                    await Task.Delay(RetryPolicy.Delay(attempt, connection.BaseDelayMs, response.Headers), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw ProviderErrors.FromResponse(connection, status, response.Headers, body, serverDelay ?? RetryAfterSeconds(response));
            }
        }
    }

    /// <summary>A GET whose JSON body is read whole (model lists, versions).</summary>
    public async Task<byte[]> GetBytesAsync(string url, Action<HttpRequestMessage> authorize, CancellationToken cancellationToken, int? maxAttempts = null)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            authorize(request);
            return request;
        }, cancellationToken, maxAttempts).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connection.TimeoutMs);
        try
        {
            return await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ProviderErrors.Timeout(connection, firstByte: false, connection.TimeoutMs, ProviderErrors.HeaderRequestId(response.Headers));
        }
        // Buffering the body wraps a broken connection (HttpIOException) in an HttpRequestException.
        catch (Exception ex) when (ex is HttpIOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw ProviderErrors.StreamCut(connection, ProviderErrors.HeaderRequestId(response.Headers), ex);
        }
    }

    /// <summary>The start of an error body: what a message can quote, never the whole of a body that may be huge.</summary>
    private static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var kept = new byte[StreamLimits.MaxErrorBodyBytes];
            var length = 0;
            int read;
            while (length < kept.Length && (read = await stream.ReadAsync(kept.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0) length += read;
            return System.Text.Encoding.UTF8.GetString(kept, 0, length);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return "";
        }
    }

    private static TimeSpan? RetryAfterSeconds(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter?.Delta is { } delta ? delta : null;
}
