using System.Globalization;
using System.Net.Http.Headers;

namespace Plue.Providers;

/// <summary>
/// When to retry a failed HTTP call and how long to wait: the rule of the official Anthropic and OpenAI SDKs
/// (408, 409, 429, 5xx incl. Anthropic's 529; <c>x-should-retry</c> overrides; <c>retry-after-ms</c>, then
/// <c>retry-after</c> in seconds or as an HTTP date, up to 60 s), else exponential backoff with jitter.
/// </summary>
internal static class RetryPolicy
{
    private static readonly TimeSpan s_maxServerDelay = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(8);

    public static bool IsRetryable(int status, HttpResponseHeaders headers)
    {
        if (headers.TryGetValues("x-should-retry", out var values))
        {
            var value = values.FirstOrDefault();
            if (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase)) return true;
            if (string.Equals(value, "false", StringComparison.OrdinalIgnoreCase)) return false;
        }
        return status is 408 or 409 or 429 or >= 500;
    }

    /// <summary>What the server asked for, or null when it said nothing usable (missing, negative, over 60 s).</summary>
    public static TimeSpan? ServerDelay(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis))
            return Bounded(TimeSpan.FromMilliseconds(millis));
        if (!headers.TryGetValues("retry-after", out var after)) return null;
        var text = after.FirstOrDefault();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return Bounded(TimeSpan.FromSeconds(seconds));
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return Bounded(date - now);
        return null;
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1: the server's delay, else base·2^(n-1) less up to 25 % jitter.</summary>
    public static TimeSpan Delay(int attempt, int baseDelayMs, HttpResponseHeaders? headers)
    {
        if (headers is not null && ServerDelay(headers, DateTimeOffset.UtcNow) is { } asked) return asked;
        var backoff = Math.Min(baseDelayMs * Math.Pow(2, attempt - 1), s_maxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(backoff * (1 - 0.25 * Random.Shared.NextDouble()));
    }

    private static TimeSpan? Bounded(TimeSpan delay) => delay >= TimeSpan.Zero && delay <= s_maxServerDelay ? delay : null;
}
