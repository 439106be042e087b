using System.Text.RegularExpressions;
using Plue.Protocol;

namespace Plue.Providers.Bedrock;

/// <summary>The instance's region applied to Bedrock's runtime host, and the credential check a test of the instance can make.</summary>
public static partial class BedrockRegion
{
    /// <summary>A catalog host (bedrock-runtime.us-east-1.amazonaws.com) moves to the instance's region; an endpoint of the user's own is kept.</summary>
    public static ProviderConnection Apply(ProviderConnection connection) =>
        connection.Region is { Length: > 0 } region && connection.Endpoint is { } endpoint && RuntimeHost().IsMatch(endpoint)
            ? connection with { Endpoint = RuntimeHost().Replace(endpoint, $"https://bedrock-runtime.{region}.amazonaws.com") }
            : connection;

    /// <summary>Throws, saying what to do, when no usable credential is found; a Bedrock API key (a bearer token) needs nothing else.</summary>
    public static IReadOnlyList<Discovery.DiscoveredModel> CheckCredentials(ProviderConnection connection)
    {
        if (connection.Credential != CredentialKind.AuthToken) AwsCredentials.Resolve(connection, Environment.GetEnvironmentVariable);
        return [];
    }

    [GeneratedRegex(@"^https://bedrock-runtime\.[a-z0-9-]+\.amazonaws\.com")]
    private static partial Regex RuntimeHost();
}
