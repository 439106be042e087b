using System.Text.Json;

namespace Plue.Providers.Bedrock;

/// <summary>
/// An AWS access key (and session token, for temporary credentials): from the instance's secret in the vault, else
/// the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), else a profile of the shared
/// credentials file (the instance's profile, AWS_PROFILE, or "default").
/// </summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId} }}";

    public static AwsCredentials Resolve(ProviderConnection connection, Func<string, string?> environment)
    {
        if (connection.ApiKey is { Length: > 0 } secret) return Parse(secret);
        if (environment("AWS_ACCESS_KEY_ID") is { Length: > 0 } id && environment("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } key)
            return new AwsCredentials(id, key, environment("AWS_SESSION_TOKEN"));
        var profile = connection.Profile ?? environment("AWS_PROFILE") ?? "default";
        var file = environment("AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(environment("HOME") ?? environment("USERPROFILE") ?? "", ".aws", "credentials");
        return FromProfile(file, profile) ?? throw new ProviderException(ProviderErrorKind.BadKey,
            $"Bedrock needs AWS credentials: store an access key as the instance's secret, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a [{profile}] profile to {file} (for SSO, run 'aws configure export-credentials' into that file).");
    }

    /// <summary>The vault holds <c>{"accessKeyId", "secretAccessKey", "sessionToken"?}</c>, or <c>ACCESS_KEY_ID:SECRET_ACCESS_KEY</c>.</summary>
    public static AwsCredentials Parse(string secret)
    {
        if (secret.TrimStart().StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(secret);
                string? Str(string name) => doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (Str("accessKeyId") is { } id && Str("secretAccessKey") is { } key) return new AwsCredentials(id, key, Str("sessionToken"));
            }
            catch (JsonException)
            {
            }
        }
        else if (secret.Split(':') is [{ Length: > 0 } id, { Length: > 0 } key]) return new AwsCredentials(id, key);
        throw new ProviderException(ProviderErrorKind.BadKey,
            "The instance's AWS credential is neither ACCESS_KEY_ID:SECRET_ACCESS_KEY nor {\"accessKeyId\", \"secretAccessKey\", \"sessionToken\"}; store it again in one of those forms.");
    }

    private static AwsCredentials? FromProfile(string file, string profile)
    {
        if (!File.Exists(file)) return null;
        string? section = null, id = null, key = null, token = null;
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']')) section = line[1..^1].Trim();
            else if (section == profile && line.Split('=', 2) is [var name, var value])
            {
                switch (name.Trim())
                {
                    case "aws_access_key_id": id = value.Trim(); break;
                    case "aws_secret_access_key": key = value.Trim(); break;
                    case "aws_session_token": token = value.Trim(); break;
                }
            }
        }
        return id is not null && key is not null ? new AwsCredentials(id, key, token) : null;
    }
}
