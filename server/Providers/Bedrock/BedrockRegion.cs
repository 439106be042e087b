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

    /// <summary>
    /// Throws, saying what to do, when no usable credential is found (an SSO profile's is fetched, which checks its
    /// login); a Bedrock API key (a bearer token) needs nothing else.
    /// </summary>
    internal static async Task<IReadOnlyList<Discovery.DiscoveredModel>> CheckCredentialsAsync(ProviderTransport transport, CancellationToken cancellationToken)
    {
        if (transport.Connection.Credential != CredentialKind.AuthToken)
            await AwsCredentials.ResolveAsync(transport, Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
        return [];
    }

    [GeneratedRegex(@"^https://bedrock-runtime\.[a-z0-9-]+\.amazonaws\.com")]
    private static partial Regex RuntimeHost();
}
