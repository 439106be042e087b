using System.Text.RegularExpressions;
using Plue.Catalog;

namespace Plue.Providers;

/// <summary>
/// The values a cloud provider's URL is built from (a region, a location, a project, an account, a deployment, an API
/// version), checked against the strict shape the provider gives them: a value with <c>/</c>, <c>@</c>, <c>:</c> or
/// <c>#</c> could move the request, and its credential, to another host. Pure: the record's write path checks a field
/// with <see cref="Problem"/> (a field error), and the URL's builder again with <see cref="Require"/>.
/// </summary>
public static partial class CloudNames
{
    private static readonly string[] s_googleTokenHosts = ["oauth2.googleapis.com", "accounts.google.com"];

    /// <summary>
    /// Why <paramref name="value"/> cannot be the instance field <paramref name="field"/> (its name in the record:
    /// region, project, api_version, deployment) of a provider of kind <paramref name="providerType"/>; null when it can,
    /// or when the field is free text for that kind.
    /// </summary>
    public static string? Problem(string providerType, string field, string value) => (providerType, field) switch
    {
        (ProviderTypes.GoogleVertex, "region") => Check(value, VertexLocation(), "a Vertex AI location such as us-east5, europe-west1 or global"),
        (ProviderTypes.GoogleVertex, "project") => Check(value, GoogleProject(), "a Google Cloud project id such as my-project-123 (6 to 30 lowercase letters, digits and hyphens)"),
        (ProviderTypes.Bedrock, "region") => Check(value, AwsRegion(), "an AWS region such as us-west-2 or eu-central-1"),
        (ProviderTypes.Azure, "api_version") => Check(value, AzureApiVersion(), "an Azure OpenAI API version such as 2024-10-21 or 2025-04-01-preview"),
        (ProviderTypes.Azure, "deployment") => Check(value, AzureDeployment(), "an Azure deployment name (letters, digits, '.', '_' and '-', at most 64)"),
        (_, "sso_region") => Check(value, AwsRegion(), "an AWS region such as us-east-1"),
        (_, "sso_account_id") => Check(value, AwsAccount(), "a 12-digit AWS account id"),
        _ => null,
    };

    /// <summary>
    /// <paramref name="value"/> when it passes <see cref="Problem"/>; else the request is not sent, and the message says
    /// which value of which instance to fix. The value is quoted only up to a short length (it is no secret, but may be long).
    /// </summary>
    public static string Require(ProviderConnection connection, string field, string value) =>
        Problem(connection.ProviderType, field, value) is { } problem
            ? throw new ProviderException(ProviderErrorKind.BadRequest,
                $"The {field.Replace('_', ' ')} '{Quote(value)}' of '{connection.InstanceName ?? connection.InstanceId}' is not {problem}, so no request was sent: edit the instance and correct it.")
            : value;

    /// <summary>
    /// Throws unless <paramref name="url"/>'s host is <paramref name="expectedHost"/>: the last check before a request
    /// built from the instance's values leaves, whatever slipped past the others.
    /// </summary>
    public static string RequireHost(ProviderConnection connection, string url, string expectedHost) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && string.Equals(uri.Host, expectedHost, StringComparison.OrdinalIgnoreCase) && uri.UserInfo.Length == 0
            ? url
            : throw new ProviderException(ProviderErrorKind.BadRequest,
                $"The URL built for '{connection.InstanceName ?? connection.InstanceId}' does not lead to {expectedHost}, so no request was sent: check the instance's region and project.");

    /// <summary>
    /// The <c>token_uri</c> of a Google credential file, followed only when it is Google's (https on
    /// oauth2.googleapis.com or accounts.google.com) or on the instance's own endpoint (a gateway the user chose): a
    /// file from elsewhere could otherwise send the signed assertion, or the refresh token and client secret, to a host
    /// of its author's choosing.
    /// </summary>
    public static string RequireGoogleTokenUri(ProviderConnection connection, string tokenUri)
    {
        var followed = Uri.TryCreate(tokenUri, UriKind.Absolute, out var uri) && uri.UserInfo.Length == 0 && (
            (uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort && s_googleTokenHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
            || (Uri.TryCreate(connection.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme == uri.Scheme
                && string.Equals(endpoint.Authority, uri.Authority, StringComparison.OrdinalIgnoreCase)));
        return followed ? tokenUri : throw new ProviderException(ProviderErrorKind.BadKey,
            $"The credential of '{connection.InstanceName ?? connection.InstanceId}' names a token endpoint that is not Google's ({Quote(uri?.Host ?? tokenUri)}), so its secrets were not sent: use the key file Google gave, whose token_uri is https://oauth2.googleapis.com/token.");
    }

    private static string? Check(string value, Regex shape, string what) => shape.IsMatch(value) ? null : what;

    private static string Quote(string value) => value.Length > 64 ? value[..64] + "…" : value;

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d{1,2}\z")]
    private static partial Regex AwsRegion();

    [GeneratedRegex(@"^\d{12}\z")]
    private static partial Regex AwsAccount();

    [GeneratedRegex(@"^(global|[a-z]+|[a-z]+-[a-z]+\d{1,2})\z")]
    private static partial Regex VertexLocation();

    // A legacy domain-scoped project (example.com:my-project) keeps its domain before the colon.
    [GeneratedRegex(@"^([a-z0-9][a-z0-9.-]{0,62}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]\z")]
    private static partial Regex GoogleProject();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(-preview)?\z")]
    private static partial Regex AzureApiVersion();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex AzureDeployment();
}
