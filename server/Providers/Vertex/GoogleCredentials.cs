using System.Text.Json;

namespace Plue.Providers.Vertex;

/// <summary>
/// A Google credential file: a service account's key (<c>type: service_account</c>) or the user credentials that
/// <c>gcloud auth application-default login</c> writes (<c>type: authorized_user</c>). Read from the vault, or from
/// application-default credentials when the instance holds none.
/// </summary>
internal sealed record GoogleCredentials(string Type, string? ClientEmail, string? PrivateKey, string? PrivateKeyId, string? ClientId,
    string? ClientSecret, string? RefreshToken, string TokenUri)
{
    public const string ServiceAccount = "service_account";
    public const string AuthorizedUser = "authorized_user";
    private const string DefaultTokenUri = "https://oauth2.googleapis.com/token";

    /// <summary>Parses the file's JSON; the message of a refusal names what is missing and never quotes the file.</summary>
    public static GoogleCredentials Parse(string json, string where)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(json);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new ProviderException(ProviderErrorKind.BadKey, $"{where} is not a Google credential file (JSON): paste the service account's key file, or run 'gcloud auth application-default login'");
        }
        string? Str(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var credentials = new GoogleCredentials(Str("type") ?? "", Str("client_email"), Str("private_key"), Str("private_key_id"), Str("client_id"),
            Str("client_secret"), Str("refresh_token"), Str("token_uri") ?? DefaultTokenUri);
        var missing = credentials.Type switch
        {
            ServiceAccount when credentials.ClientEmail is null || credentials.PrivateKey is null => "client_email and private_key",
            AuthorizedUser when credentials.ClientId is null || credentials.ClientSecret is null || credentials.RefreshToken is null => "client_id, client_secret and refresh_token",
            ServiceAccount or AuthorizedUser => null,
            var other => $"a type of {ServiceAccount} or {AuthorizedUser} (it says '{other}')",
        };
        return missing is null ? credentials : throw new ProviderException(ProviderErrorKind.BadKey, $"{where} lacks {missing}: use a service account key file or application-default credentials");
    }

    /// <summary>Application-default credentials: GOOGLE_APPLICATION_CREDENTIALS, else gcloud's well-known file; null when neither exists.</summary>
    public static GoogleCredentials? FromApplicationDefault(Func<string, string?> environment)
    {
        var path = environment("GOOGLE_APPLICATION_CREDENTIALS");
        if (string.IsNullOrEmpty(path))
        {
            var config = environment("CLOUDSDK_CONFIG") ?? Path.Combine(
                OperatingSystem.IsWindows() ? environment("APPDATA") ?? "" : Path.Combine(environment("HOME") ?? "", ".config"), "gcloud");
            path = Path.Combine(config, "application_default_credentials.json");
        }
        return CredentialFile.ReadIfPresent(path, "The application-default credential file") is { } json ? Parse(json, path) : null;
    }
}
