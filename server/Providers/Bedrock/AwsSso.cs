using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Plue.Providers.Bedrock;

/// <summary>
/// Credentials of a profile that signs in with AWS IAM Identity Center (SSO): the access token <c>aws sso login</c>
/// cached in <c>~/.aws/sso/cache/&lt;sha1&gt;.json</c>, exchanged at the SSO portal (GetRoleCredentials) for the
/// role's temporary credentials, which are cached until a minute before they expire. See docs/PROVIDERS.md, section 8.
/// </summary>
public sealed class AwsSso(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (AwsCredentials Credentials, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public static AwsSso Shared { get; } = new(TimeProvider.System);

    /// <summary>The profile's SSO settings from the config file (<c>AWS_CONFIG_FILE</c>, else ~/.aws/config); null when it has none.</summary>
    public static SsoProfile? FindProfile(string profile, Func<string, string?> environment)
    {
        var file = environment("AWS_CONFIG_FILE") ?? Path.Combine(Home(environment), ".aws", "config");
        if (CredentialFile.ReadIfPresent(file, "The AWS config file") is not { } text) return null;
        var sections = ReadIni(text);
        // The default profile is [default] (or [profile default]); any other is [profile name].
        var own = sections.GetValueOrDefault("profile " + profile) ?? (profile == "default" ? sections.GetValueOrDefault("default") : null);
        if (own is null || own.GetValueOrDefault("sso_account_id") is not { } account || own.GetValueOrDefault("sso_role_name") is not { } role) return null;
        if (own.GetValueOrDefault("sso_session") is { } session)
        {
            // A named session: its start URL and region are in [sso-session name], and the token cache is keyed by the name.
            var shared = sections.GetValueOrDefault("sso-session " + session);
            return shared?.GetValueOrDefault("sso_start_url") is { } url && shared.GetValueOrDefault("sso_region") is { } region
                ? new SsoProfile(profile, url, region, account, role, CacheKey: session)
                : null;
        }
        return own.GetValueOrDefault("sso_start_url") is { } legacyUrl && own.GetValueOrDefault("sso_region") is { } legacyRegion
            ? new SsoProfile(profile, legacyUrl, legacyRegion, account, role, CacheKey: legacyUrl)
            : null;
    }

    /// <summary>The role's credentials, from the cache while they last, else exchanged for the cached SSO token.</summary>
    internal async Task<AwsCredentials> GetAsync(SsoProfile sso, Func<string, string?> environment, ProviderTransport transport, CancellationToken cancellationToken)
    {
        var key = $"{sso.StartUrl}\n{sso.AccountId}\n{sso.RoleName}";
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Expires > now.AddMinutes(1)) return cached.Credentials;

        // The token goes to the portal of the profile's region: a region that is no region's name could move it elsewhere.
        if ((CloudNames.Problem("", "sso_region", sso.Region) ?? CloudNames.Problem("", "sso_account_id", sso.AccountId)) is { } problem)
            throw new ProviderException(ProviderErrorKind.BadKey, $"AWS profile '{sso.Profile}' has an SSO setting that is not {problem}: correct the profile in the AWS config file and retry.");
        var token = ReadToken(sso, environment, now);
        transport.Connection.Secrets.Add(token);
        var ownPortal = environment("AWS_ENDPOINT_URL_SSO");
        var portal = (ownPortal ?? $"https://portal.sso.{sso.Region}.amazonaws.com").TrimEnd('/');
        var url = $"{portal}/federation/credentials?role_name={Uri.EscapeDataString(sso.RoleName)}&account_id={Uri.EscapeDataString(sso.AccountId)}";
        if (ownPortal is null) CloudNames.RequireHost(transport.Connection, url, $"portal.sso.{sso.Region}.amazonaws.com");
        byte[] body;
        try
        {
            body = await transport.For(transport.Connection with { Endpoint = portal, ApiKey = token })
                .GetBytesAsync(url, r => r.Headers.TryAddWithoutValidation("x-amz-sso_bearer_token", token), cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException e) when (e.Kind == ProviderErrorKind.BadKey)
        {
            throw LoginAgain(sso, $"the SSO portal refused its login (HTTP {e.Status})");
        }
        using var doc = JsonDocument.Parse(body);
        var role = doc.RootElement.TryGetProperty("roleCredentials", out var r) && r.ValueKind == JsonValueKind.Object ? r
            : throw new ProviderException(ProviderErrorKind.Malformed, $"The AWS SSO portal answered profile '{sso.Profile}' without role credentials; run `aws sso login --profile {sso.Profile}` and retry.");
        string? Str(string name) => role.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (Str("accessKeyId") is not { } id || Str("secretAccessKey") is not { } secret)
            throw new ProviderException(ProviderErrorKind.Malformed, $"The AWS SSO portal's credentials for profile '{sso.Profile}' lack an access key; run `aws sso login --profile {sso.Profile}` and retry.");
        var credentials = new AwsCredentials(id, secret, Str("sessionToken"));
        // expiration is in epoch milliseconds; without one, an hour (the shortest role session).
        var expires = role.TryGetProperty("expiration", out var e2) && e2.TryGetInt64(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : now.AddHours(1);
        _cache[key] = (credentials, expires);
        return credentials;
    }

    /// <summary>The access token <c>aws sso login</c> cached for the profile's session (or start URL), if it is still valid.</summary>
    private static string ReadToken(SsoProfile sso, Func<string, string?> environment, DateTimeOffset now)
    {
        var name = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(sso.CacheKey))) + ".json";
        var file = Path.Combine(Home(environment), ".aws", "sso", "cache", name);
        var cached = CredentialFile.ReadIfPresent(file, $"The SSO login cache of AWS profile '{sso.Profile}'") ?? throw LoginAgain(sso, "it has no cached SSO login");
        try
        {
            using var doc = JsonDocument.Parse(cached);
            var root = doc.RootElement;
            var token = root.TryGetProperty("accessToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var expires = root.TryGetProperty("expiresAt", out var x) && x.ValueKind == JsonValueKind.String ? ParseExpiry(x.GetString()!) : null;
            if (token is not { Length: > 0 } || expires is null) throw LoginAgain(sso, "its cached SSO login is incomplete");
            return expires > now ? token : throw LoginAgain(sso, $"its SSO login expired at {expires:u}");
        }
        catch (JsonException)
        {
            throw LoginAgain(sso, "its cached SSO login is not readable");
        }
    }

    /// <summary>The CLI writes <c>2026-01-01T10:00:00Z</c>; older versions <c>2026-01-01T10:00:00UTC</c>.</summary>
    private static DateTimeOffset? ParseExpiry(string text) =>
        DateTimeOffset.TryParse(text.Replace("UTC", "Z", StringComparison.Ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static ProviderException LoginAgain(SsoProfile sso, string why) => new(ProviderErrorKind.BadKey,
        $"AWS profile '{sso.Profile}' signs in with SSO, but {why}: run `aws sso login --profile {sso.Profile}` in a terminal, then retry.");

    private static string Home(Func<string, string?> environment) => environment("HOME") ?? environment("USERPROFILE") ?? "";

    /// <summary>An ini file's sections (names trimmed) and their keys; comments and blank lines skipped.</summary>
    internal static Dictionary<string, Dictionary<string, string>> ReadIni(string text)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                var name = string.Join(' ', line[1..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                current = sections.TryGetValue(name, out var seen) ? seen : sections[name] = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else if (current is not null && line.Split('=', 2) is [var key, var value]) current[key.Trim()] = value.Trim();
        }
        return sections;
    }
}

/// <summary>What a profile of ~/.aws/config says about its SSO sign-in; <see cref="CacheKey"/> names its token's cache file.</summary>
public sealed record SsoProfile(string Profile, string StartUrl, string Region, string AccountId, string RoleName, string CacheKey);
