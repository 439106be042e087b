namespace Plue.Providers;

/// <summary>
/// Azure OpenAI: OpenAI's Chat Completions on a deployment of the user's resource (docs/PROVIDERS.md, section 6).
/// The URL names the deployment, not the model, and carries the API version.
/// </summary>
public static class AzureOpenAI
{
    /// <summary>The GA data-plane version that has max_completion_tokens, stream_options and reasoning_effort.</summary>
    public const string DefaultApiVersion = "2024-10-21";

    public static string Deployment(ProviderConnection connection, string model) =>
        CloudNames.Require(connection, "deployment", connection.Deployments.GetValueOrDefault(model, model));

    public static string ChatUrl(ProviderConnection connection, string baseUrl, string model) =>
        $"{baseUrl}/openai/deployments/{Uri.EscapeDataString(Deployment(connection, model))}/chat/completions?api-version={Version(connection)}";

    /// <summary>The base models the resource offers: cheap, and it checks the key.</summary>
    public static string ModelsUrl(ProviderConnection connection, string baseUrl) => $"{baseUrl}/openai/models?api-version={Version(connection)}";

    private static string Version(ProviderConnection connection) => CloudNames.Require(connection, "api_version", connection.ApiVersion ?? DefaultApiVersion);
}
