using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>
/// What an instance's secret is, which decides how it is sent: an API key (Anthropic <c>x-api-key</c>), or an auth
/// token sent as <c>Authorization: Bearer</c> (a gateway's or an organisation's token, where Anthropic's wire format is spoken).
/// </summary>
public enum CredentialKind
{
    [JsonStringEnumMemberName("apiKey")] ApiKey,
    [JsonStringEnumMemberName("authToken")] AuthToken,
}
