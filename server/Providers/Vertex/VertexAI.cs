using System.Text.RegularExpressions;

namespace Plue.Providers.Vertex;

/// <summary>Vertex AI's URLs for Google's and Anthropic's models of a project and location (docs/PROVIDERS.md, section 7).</summary>
public static partial class VertexAI
{
    public const string AnthropicVersion = "vertex-2023-10-16";
    public const string GlobalHost = "https://aiplatform.googleapis.com";

    public static bool IsAnthropic(string model) => model.StartsWith("claude", StringComparison.Ordinal);

    public static string GeminiUrl(ProviderConnection connection, string baseUrl, string model) =>
        ModelUrl(connection, baseUrl, "google", model, "streamGenerateContent") + "?alt=sse";

    /// <summary>Claude on Vertex is named with an @ before its date: claude-sonnet-4-5@20250929.</summary>
    public static string AnthropicUrl(ProviderConnection connection, string baseUrl, string model) =>
        ModelUrl(connection, baseUrl, "anthropic", DatedId().Replace(model, "@$1"), "streamRawPredict");

    private static string ModelUrl(ProviderConnection connection, string baseUrl, string publisher, string model, string verb)
    {
        var project = connection.Project is { Length: > 0 } p ? CloudNames.Require(connection, "project", p) : throw new ProviderException(ProviderErrorKind.BadRequest,
            "Vertex AI needs the Google Cloud project: edit the instance and set its project id.");
        var location = connection.Region is { Length: > 0 } r ? CloudNames.Require(connection, "region", r) : "global";
        // The global host serves location "global"; a region has a host of its own. An endpoint of the user's own is kept.
        var regional = location != "global" && baseUrl == GlobalHost;
        var host = regional ? $"{location}-aiplatform.googleapis.com" : new Uri(baseUrl).Host;
        var url = $"{(regional ? "https://" + host : baseUrl)}/v1/projects/{Uri.EscapeDataString(project)}/locations/{Uri.EscapeDataString(location)}/publishers/{publisher}/models/{Uri.EscapeDataString(model).Replace("%40", "@", StringComparison.Ordinal)}:{verb}";
        return CloudNames.RequireHost(connection, url, host);
    }

    [GeneratedRegex(@"-(\d{8})$")]
    private static partial Regex DatedId();
}
