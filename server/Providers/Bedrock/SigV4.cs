using System.Security.Cryptography;
using System.Text;

namespace Plue.Providers.Bedrock;

/// <summary>
/// AWS Signature Version 4 for one request (docs/PROVIDERS.md, section 8): a canonical request over the method, the
/// path (each segment encoded once more, as every service but S3 wants), the query, the signed headers and the
/// body's hash, signed with a key derived from the secret for the day, region and service.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Adds x-amz-date, x-amz-content-sha256 (unless told not to), the session token if any, and Authorization; returns the signature.</summary>
    public static string Sign(HttpRequestMessage request, byte[] body, AwsCredentials credentials, string region, string service, DateTimeOffset now,
        bool contentHashHeader = true)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var day = amzDate[..8];
        var payloadHash = Hex(SHA256.HashData(body));
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        if (contentHashHeader) request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        if (credentials.SessionToken is { Length: > 0 } token) request.Headers.TryAddWithoutValidation("x-amz-security-token", token);

        var uri = request.RequestUri!;
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}" };
        foreach (var (name, values) in request.Headers) if (name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)) headers[name.ToLowerInvariant()] = string.Join(",", values).Trim();
        if (request.Content?.Headers.ContentType is { } type) headers["content-type"] = type.ToString();
        var signedHeaders = string.Join(";", headers.Keys);
        var canonical = string.Join("\n",
            request.Method.Method,
            CanonicalPath(uri.AbsolutePath),
            CanonicalQuery(uri.Query),
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n")),
            signedHeaders,
            payloadHash);
        var scope = $"{day}/{region}/{service}/aws4_request";
        var toSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), day), region), service), "aws4_request");
        var signature = Hex(Hmac(key, toSign));
        request.Headers.TryAddWithoutValidation("Authorization", $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
        return signature;
    }

    /// <summary>The path as sent (already encoded), each segment encoded again.</summary>
    private static string CanonicalPath(string path) =>
        path.Length == 0 ? "/" : string.Join("/", path.Split('/').Select(Uri.EscapeDataString));

    private static string CanonicalQuery(string query) => string.Join("&", query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2)).Select(p => (Key: p[0], Value: p.Length > 1 ? p[1] : ""))
        .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
