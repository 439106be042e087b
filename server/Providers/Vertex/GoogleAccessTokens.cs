using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Plue.Providers.Transform;

namespace Plue.Providers.Vertex;

/// <summary>
/// OAuth access tokens for Google Cloud, cached per credential until a minute before they expire: a service account
/// signs a JWT (RS256) and exchanges it; user credentials exchange their refresh token. See docs/PROVIDERS.md, section 7.
/// </summary>
public sealed class GoogleAccessTokens(TimeProvider time, Func<string, string?> environment)
{
    public const string Scope = "https://www.googleapis.com/auth/cloud-platform";

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public static GoogleAccessTokens Shared { get; } = new(TimeProvider.System, Environment.GetEnvironmentVariable);

    /// <summary>The instance's secret is its credential file; without one, application-default credentials are used.</summary>
    public async Task<string> GetAsync(ProviderConnection connection, HttpClient http, CancellationToken cancellationToken)
    {
        var credentials = connection.ApiKey is { Length: > 0 } json
            ? GoogleCredentials.Parse(json, "the instance's credential")
            : GoogleCredentials.FromApplicationDefault(environment)
              ?? throw new ProviderException(ProviderErrorKind.BadKey,
                  "Vertex AI needs Google Cloud credentials: store a service account key file as the instance's secret, or run 'gcloud auth application-default login'.");
        // What obtains the token is as secret as the token: neither reaches an error or a stream.
        connection.Secrets.Add(credentials.PrivateKey, credentials.ClientSecret, credentials.RefreshToken);
        var cacheKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(credentials.ClientEmail + "\n" + credentials.PrivateKeyId + "\n" + credentials.RefreshToken + "\n" + credentials.ClientId)));
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(cacheKey, out var cached) && cached.Expires > now.AddMinutes(1))
        {
            connection.Secrets.Add(cached.Token);
            return cached.Token;
        }

        var assertion = credentials.Type == GoogleCredentials.ServiceAccount ? SignedAssertion(credentials, now) : null;
        connection.Secrets.Add(assertion);
        var form = assertion is not null
            ? new Dictionary<string, string> { ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer", ["assertion"] = assertion }
            : new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token", ["client_id"] = credentials.ClientId!, ["client_secret"] = credentials.ClientSecret!, ["refresh_token"] = credentials.RefreshToken!,
            };
        var tokenUri = CloudNames.RequireGoogleTokenUri(connection, credentials.TokenUri);
        var transport = new ProviderTransport(http, connection with { Endpoint = tokenUri });
        using var response = await transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, tokenUri) { Content = new FormUrlEncodedContent(form) },
            cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        var root = doc.RootElement;
        var token = root.TryGetProperty("access_token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw new ProviderException(ProviderErrorKind.BadKey,
            "Google's token endpoint answered without an access token; check the instance's credential.");
        var seconds = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 3600;
        connection.Secrets.Add(token);
        _cache[cacheKey] = (token, now.AddSeconds(seconds));
        return token;
    }

    /// <summary>The JWT a service account signs: who it is, what it asks for, for whom, for an hour.</summary>
    private static string SignedAssertion(GoogleCredentials credentials, DateTimeOffset now)
    {
        var iat = now.ToUnixTimeSeconds();
        var header = ContentJson.Body(w =>
        {
            w.WriteString("alg", "RS256");
            w.WriteString("typ", "JWT");
            if (credentials.PrivateKeyId is { } kid) w.WriteString("kid", kid);
        });
        var claims = ContentJson.Body(w =>
        {
            w.WriteString("iss", credentials.ClientEmail);
            w.WriteString("scope", Scope);
            w.WriteString("aud", credentials.TokenUri);
            w.WriteNumber("iat", iat);
            w.WriteNumber("exp", iat + 3600);
        });
        var unsigned = Base64Url(header) + "." + Base64Url(claims);
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(credentials.PrivateKey);
        }
        catch (ArgumentException)
        {
            throw new ProviderException(ProviderErrorKind.BadKey, "The service account's private_key is not a PEM key; download a new JSON key for the service account.");
        }
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(unsigned), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return unsigned + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
