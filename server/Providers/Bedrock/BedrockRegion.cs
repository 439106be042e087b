using System.Text.RegularExpressions;
using Plue.Protocol;

namespace Plue.Providers.Bedrock;

/// <summary>The instance's region applied to Bedrock's runtime host, and the credential check a test of the instance can make.</summary>
public static partial class BedrockRegion
{
    /// <summary>
    /// A catalog host (bedrock-runtime.us-east-1.amazonaws.com) moves to the instance's region, which must be a region's
    /// name (it also signs the request); an endpoint of the user's own is kept.
    /// </summary>
    public static ProviderConnection Apply(ProviderConnection connection)
    {
        if (connection.Region is not { Length: > 0 } region) return connection;
        CloudNames.Require(connection, "region", region);
        if (connection.Endpoint is not { } endpoint || !RuntimeHost().IsMatch(endpoint)) return connection;
        var host = $"bedrock-runtime.{region}.amazonaws.com";
        return connection with { Endpoint = CloudNames.RequireHost(connection, RuntimeHost().Replace(endpoint, "https://" + host), host) };
    }

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
