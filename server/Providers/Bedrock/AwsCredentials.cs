using System.Text.Json;

namespace Plue.Providers.Bedrock;

/// <summary>
/// An AWS access key (and session token, for temporary credentials): from the instance's secret in the vault, else
/// the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), else a profile (the instance's,
/// AWS_PROFILE, or "default") of the shared credentials file, else that profile's SSO sign-in in ~/.aws/config.
/// </summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId} }}";

    /// <summary>The credentials, registered with the connection's secrets, so no error or stream shows them.</summary>
    internal static async Task<AwsCredentials> ResolveAsync(ProviderTransport transport, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var credentials = await FindAsync(transport, environment, cancellationToken).ConfigureAwait(false);
        transport.Connection.Secrets.Add(credentials.SecretAccessKey, credentials.SessionToken);
        return credentials;
    }

    private static async Task<AwsCredentials> FindAsync(ProviderTransport transport, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var connection = transport.Connection;
        if (connection.ApiKey is { Length: > 0 } secret) return Parse(secret);
        if (environment("AWS_ACCESS_KEY_ID") is { Length: > 0 } id && environment("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } key)
            return new AwsCredentials(id, key, environment("AWS_SESSION_TOKEN"));
        var profile = connection.Profile ?? environment("AWS_PROFILE") ?? "default";
        var file = environment("AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(environment("HOME") ?? environment("USERPROFILE") ?? "", ".aws", "credentials");
        if (FromProfile(file, profile) is { } stored) return stored;
        if (AwsSso.FindProfile(profile, environment) is { } sso) return await AwsSso.Shared.GetAsync(sso, environment, transport, cancellationToken).ConfigureAwait(false);
        throw new ProviderException(ProviderErrorKind.BadKey,
            $"Bedrock needs AWS credentials: store an access key as the instance's secret, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, add a [{profile}] profile to {file}, or sign the profile in with `aws sso login --profile {profile}`.");
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

    private static AwsCredentials? FromProfile(string file, string profile) =>
        CredentialFile.ReadIfPresent(file, "The AWS credentials file") is { } text && AwsSso.ReadIni(text).GetValueOrDefault(profile) is { } keys
        && keys.GetValueOrDefault("aws_access_key_id") is { } id && keys.GetValueOrDefault("aws_secret_access_key") is { } key
            ? new AwsCredentials(id, key, keys.GetValueOrDefault("aws_session_token"))
            : null;
}
