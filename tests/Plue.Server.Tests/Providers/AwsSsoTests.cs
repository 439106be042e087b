using System.Security.Cryptography;
using System.Text;
using Plue.Catalog;
using Plue.Providers;
using Plue.Providers.Bedrock;
using Plue.Tests.Fakes;
using Plue.Tests.Support;
using static Plue.Tests.Fakes.FakeBedrockServer;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>
/// Bedrock with a profile that signs in through AWS IAM Identity Center (SSO): the cached token of <c>aws sso login</c>
/// in a temp home (never the real ~/.aws), exchanged at a loopback SSO portal that checks what the real one checks.
/// </summary>
public sealed class AwsSsoTests : IAsyncLifetime
{
    private const string AccountId = "111122223333";
    private const string RoleName = "BedrockUser";
    private readonly FakeBedrockServer _bedrock = new();
    private readonly LoopbackHttpServer _portal = new();
    private readonly TempDir _home = new();
    // Each test its own start URL: the role credentials are cached per process, by start URL, account and role.
    private readonly string _startUrl = $"https://d-{Guid.NewGuid():N}.awsapps.com/start";

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_home.Path, ".aws", "sso", "cache"));
        _portal.Handler = Portal;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _bedrock.DisposeAsync();
        await _portal.DisposeAsync();
        _home.Dispose();
    }

    /// <summary>GetRoleCredentials: the bearer token, role and account must be the logged-in ones.</summary>
    private FakeResponse Portal(RecordedRequest request) =>
        request.Method == "GET" && request.Path == "/federation/credentials" && request.Query == $"?role_name={RoleName}&account_id={AccountId}"
        && request.Header("x-amz-sso_bearer_token") == "sso-access-token"
            ? FakeResponse.Json(200, RoleCredentials())
            : FakeResponse.Json(401, """{"message":"Session token not found or invalid"}""");

    private static string RoleCredentials() =>
        $$"""{"roleCredentials":{"accessKeyId":"{{Credentials.AccessKeyId}}","secretAccessKey":"{{Credentials.SecretAccessKey}}","sessionToken":"{{Credentials.SessionToken}}","expiration":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()}}} }""";

    private string? Environment(string name) => name switch
    {
        "HOME" => _home.Path,
        "AWS_ENDPOINT_URL_SSO" => _portal.Url,
        _ => null,
    };

    private BedrockChatClient Client(string profile) =>
        new(Connection(ProviderTypes.Bedrock, _bedrock.Endpoint, "bedrock", maxAttempts: 1) with { ApiKey = null, Profile = profile },
            Http, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", Environment);

    private void WriteConfig(string text) => File.WriteAllText(Path.Combine(_home.Path, ".aws", "config"), text);

    /// <summary>What <c>aws sso login</c> leaves: the token in a file named by the SHA-1 of the session name (or start URL).</summary>
    private void CacheToken(string key, DateTimeOffset expiresAt, string token = "sso-access-token") =>
        WriteCache(key, $$"""{"startUrl":"{{_startUrl}}","region":"eu-west-1","accessToken":"{{token}}","expiresAt":"{{expiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}""");

    private void WriteCache(string key, string text) =>
        File.WriteAllText(Path.Combine(_home.Path, ".aws", "sso", "cache", Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(key))) + ".json"), text);

    private void WriteLegacyProfile(string region = "eu-west-1") =>
        WriteConfig($"[profile old]\nsso_start_url = {_startUrl}\nsso_region = {region}\nsso_account_id = {AccountId}\nsso_role_name = {RoleName}\n");

    [Fact]
    public async Task SsoSessionProfile_ExchangesTheCachedTokenAtThePortal_ThenReusesTheCredentialsUntilTheyExpire()
    {
        WriteConfig($"[default]\nregion = us-east-1\n\n[profile dev]\nsso_session = corp\nsso_account_id = {AccountId}\nsso_role_name = {RoleName}\nregion = us-east-1\n\n" +
                    $"[sso-session corp]\nsso_start_url = {_startUrl}\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n");
        CacheToken("corp", DateTimeOffset.UtcNow.AddHours(8));
        _bedrock.EnqueueStream(TextReply("first"));
        _bedrock.EnqueueStream(TextReply("second"));

        Assert.Equal("first", (await DrainAsync(Client("dev"), Hello())).Folded.Text);
        Assert.Equal("second", (await DrainAsync(Client("dev"), Hello())).Folded.Text);

        // The fake Bedrock re-signed both requests with the role's credentials and session token; the portal was asked once.
        Assert.Equal(2, _bedrock.Requests.Count);
        Assert.Single(_portal.Requests);
    }

    [Fact]
    public async Task LegacyProfile_WithAnExpiredLogin_SaysToRunAwsSsoLogin_WithoutCallingThePortal()
    {
        WriteConfig($"[profile old]\nsso_start_url = {_startUrl}\nsso_region = eu-west-1\nsso_account_id = {AccountId}\nsso_role_name = {RoleName}\n");
        CacheToken(_startUrl, DateTimeOffset.UtcNow.AddMinutes(-5));

        var error = await Assert.ThrowsAsync<ProviderException>(() => DrainAsync(Client("old"), Hello()));

        Assert.Equal(ProviderErrorKind.BadKey, error.Kind);
        Assert.StartsWith("AWS profile 'old' signs in with SSO, but its SSO login expired at ", error.Message);
        Assert.EndsWith(": run `aws sso login --profile old` in a terminal, then retry.", error.Message);
        Assert.Empty(_portal.Requests);
        Assert.Empty(_bedrock.Requests);
    }

    [Fact]
    public async Task LegacyProfile_TokenThePortalRefuses_OrNoLoginAtAll_SaysToRunAwsSsoLogin()
    {
        WriteConfig($"[profile old]\nsso_start_url = {_startUrl}\nsso_region = eu-west-1\nsso_account_id = {AccountId}\nsso_role_name = {RoleName}\n");

        var none = await Assert.ThrowsAsync<ProviderException>(() => DrainAsync(Client("old"), Hello()));
        Assert.Equal("AWS profile 'old' signs in with SSO, but it has no cached SSO login: run `aws sso login --profile old` in a terminal, then retry.", none.Message);

        CacheToken(_startUrl, DateTimeOffset.UtcNow.AddHours(1), token: "revoked-token");
        var refused = await Assert.ThrowsAsync<ProviderException>(() => DrainAsync(Client("old"), Hello()));
        Assert.Equal("AWS profile 'old' signs in with SSO, but the SSO portal refused its login (HTTP 401): run `aws sso login --profile old` in a terminal, then retry.", refused.Message);
        Assert.DoesNotContain("revoked-token", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_bedrock.Requests);
    }

    [Fact]
    public void FindProfile_ReadsTheDefaultAndNamedSessions_AndIgnoresProfilesMissingAPart()
    {
        WriteConfig($"""
            # written by aws configure sso
            stray = before any section
            [default]
            sso_start_url = {_startUrl}
            sso_region = eu-west-1
            sso_account_id = {AccountId}
            sso_role_name = {RoleName}

            [profile noRole]
            sso_account_id = {AccountId}
            [profile lostSession]
            sso_session = nowhere
            sso_account_id = {AccountId}
            sso_role_name = {RoleName}
            [profile  split]
            sso_account_id = {AccountId}
            ; the same profile again: its keys add up
            [profile split]
            sso_role_name = {RoleName}
            sso_session = corp
            a line without a value
            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1
            [profile noUrl]
            sso_account_id = {AccountId}
            sso_role_name = {RoleName}
            """);

        Assert.Equal(new SsoProfile("default", _startUrl, "eu-west-1", AccountId, RoleName, _startUrl), AwsSso.FindProfile("default", Environment));
        Assert.Equal(new SsoProfile("split", "https://corp.awsapps.com/start", "us-east-1", AccountId, RoleName, "corp"), AwsSso.FindProfile("split", Environment));
        Assert.Null(AwsSso.FindProfile("noRole", Environment));
        Assert.Null(AwsSso.FindProfile("lostSession", Environment));
        Assert.Null(AwsSso.FindProfile("noUrl", Environment));
        Assert.Null(AwsSso.FindProfile("absent", Environment));
        Assert.Null(AwsSso.FindProfile("default", n => n == "AWS_CONFIG_FILE" ? Path.Combine(_home.Path, "no-such-config") : null));
    }

    [Fact]
    public async Task Profile_WithAnSsoRegionThatIsNoRegion_IsRefused_BeforeTheTokenGoesAnywhere()
    {
        WriteLegacyProfile(region: "evil.example.com#");
        CacheToken(_startUrl, DateTimeOffset.UtcNow.AddHours(1));

        var error = await Assert.ThrowsAsync<ProviderException>(() => DrainAsync(Client("old"), Hello()));

        Assert.Equal(ProviderErrorKind.BadKey, error.Kind);
        Assert.StartsWith("AWS profile 'old' has an SSO setting that is not an AWS region such as us-east-1", error.Message);
        Assert.Empty(_portal.Requests);
    }

    [Theory]
    [InlineData("{not json", "its cached SSO login is not readable")]
    [InlineData("""{"accessToken":"sso-access-token"}""", "its cached SSO login is incomplete")]
    [InlineData("""{"accessToken":"","expiresAt":"2099-01-01T00:00:00Z"}""", "its cached SSO login is incomplete")]
    [InlineData("""{"accessToken":"sso-access-token","expiresAt":"soon"}""", "its cached SSO login is incomplete")]
    public async Task LegacyProfile_WithABrokenLoginCache_SaysToRunAwsSsoLogin(string cache, string why)
    {
        WriteLegacyProfile();
        WriteCache(_startUrl, cache);

        var error = await Assert.ThrowsAsync<ProviderException>(() => DrainAsync(Client("old"), Hello()));

        Assert.Equal($"AWS profile 'old' signs in with SSO, but {why}: run `aws sso login --profile old` in a terminal, then retry.", error.Message);
        Assert.Empty(_portal.Requests);
    }

    [Theory]
    [InlineData("""{"roleCredentials":null}""", "answered profile 'old' without role credentials")]
    [InlineData("""{"roleCredentials":{"accessKeyId":"AKIDPLUETEST"}}""", "credentials for profile 'old' lack an access key")]
    public async Task Portal_AnsweringWithoutUsableCredentials_IsMalformed_AndBedrockIsNotCalled(string answer, string says)
    {
        WriteLegacyProfile();
        CacheToken(_startUrl, DateTimeOffset.UtcNow.AddHours(1));
        _portal.Handler = _ => FakeResponse.Json(200, answer);

        var error = await Assert.ThrowsAsync<ProviderException>(() => DrainAsync(Client("old"), Hello()));

        Assert.Equal(ProviderErrorKind.Malformed, error.Kind);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Empty(_bedrock.Requests);
    }

    [Fact]
    public async Task OldCliLogin_ExpiryWrittenWithUtc_IsRead_AndCredentialsWithoutExpiryAreKeptForTheHour()
    {
        WriteLegacyProfile();
        WriteCache(_startUrl, $$"""{"accessToken":"sso-access-token","expiresAt":"{{DateTimeOffset.UtcNow.AddHours(2).UtcDateTime:yyyy-MM-ddTHH:mm:ss}}UTC"}""");
        _portal.Handler = _ => FakeResponse.Json(200,
            $$"""{"roleCredentials":{"accessKeyId":"{{Credentials.AccessKeyId}}","secretAccessKey":"{{Credentials.SecretAccessKey}}","sessionToken":"{{Credentials.SessionToken}}"} }""");
        _bedrock.EnqueueStream(TextReply("one"));
        _bedrock.EnqueueStream(TextReply("two"));

        Assert.Equal("one", (await DrainAsync(Client("old"), Hello())).Folded.Text);
        Assert.Equal("two", (await DrainAsync(Client("old"), Hello())).Folded.Text);

        Assert.Single(_portal.Requests);
    }
}
