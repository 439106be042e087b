using Plue.Catalog;
using Plue.Providers;
using Plue.Providers.Bedrock;
using Plue.Providers.Vertex;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>
/// A cloud URL is built only from values of the provider's own shape, and only sent when its host is the one the
/// provider's rules give: a region or project holding '/', '@', ':' or '#' moves no request, with its credential, elsewhere.
/// </summary>
public sealed class CloudNamesTests
{
    private static readonly string[] s_hostMovers = ["evil.example/x", "us-east-1.evil.example#", "x@evil.example", "evil.example:8443", "us-east-1\n", "", "US-EAST-1"];

    [Theory]
    [InlineData(ProviderTypes.Bedrock, "region", "us-west-2")]
    [InlineData(ProviderTypes.Bedrock, "region", "us-gov-west-1")]
    [InlineData(ProviderTypes.GoogleVertex, "region", "us-east5")]
    [InlineData(ProviderTypes.GoogleVertex, "region", "global")]
    [InlineData(ProviderTypes.GoogleVertex, "region", "europe-west1")]
    [InlineData(ProviderTypes.GoogleVertex, "project", "my-project-123")]
    [InlineData(ProviderTypes.GoogleVertex, "project", "example.com:my-project")]
    [InlineData(ProviderTypes.Azure, "api_version", "2025-04-01-preview")]
    [InlineData(ProviderTypes.Azure, "deployment", "gpt-4.1-mini_prod")]
    [InlineData("", "sso_account_id", "111122223333")]
    public void Problem_AValueOfTheProvidersShape_IsNone(string type, string field, string value) => Assert.Null(CloudNames.Problem(type, field, value));

    [Fact]
    public void Problem_AValueThatCouldMoveTheHost_SaysWhatIsExpected()
    {
        foreach (var value in s_hostMovers)
        {
            Assert.Contains("AWS region such as us-west-2", CloudNames.Problem(ProviderTypes.Bedrock, "region", value));
            Assert.Contains("Vertex AI location", CloudNames.Problem(ProviderTypes.GoogleVertex, "region", value));
            Assert.Contains("Google Cloud project id", CloudNames.Problem(ProviderTypes.GoogleVertex, "project", value));
            Assert.Contains("API version", CloudNames.Problem(ProviderTypes.Azure, "api_version", value));
            // A deployment's name may be upper case: only what could move the host is refused.
            if (value != "US-EAST-1") Assert.Contains("deployment name", CloudNames.Problem(ProviderTypes.Azure, "deployment", value));
        }
        Assert.NotNull(CloudNames.Problem("", "sso_account_id", "1111-2222-3333"));
    }

    [Fact]
    public async Task Vertex_ARegionThatMovesTheHost_SendsNothing()
    {
        await using var server = new Fakes.LoopbackHttpServer { Handler = _ => Fakes.FakeResponse.Json(200, """{"access_token":"ya29.never-0123456789","expires_in":3600}""") };
        var credential = $$"""{"type":"authorized_user","client_id":"id","client_secret":"secret-0123","refresh_token":"refresh-0123","token_uri":"{{server.Url}}/token"}""";
        // The catalog's global host, so the location picks the host: "evil.example/x" would make https://evil.example/x-aiplatform…
        var connection = Connection(ProviderTypes.GoogleVertex, VertexAI.GlobalHost, "vertexai", maxAttempts: 1)
            with { ApiKey = credential, Project = "my-project-1", Region = "evil.example/x#", InstanceName = "Vertex" };
        var client = new VertexChatClient(connection, Http, "gemini-x", new GoogleAccessTokens(TimeProvider.System, _ => null));

        var (_, error) = await DrainFailingAsync(client);

        Assert.Equal(ProviderErrorKind.BadRequest, error.Kind);
        Assert.Contains("region 'evil.example/x#' of 'Vertex' is not a Vertex AI location", error.Message);
        Assert.Contains("no request was sent", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Vertex_ACredentialWhoseTokenUriIsNotGoogles_SendsItsSecretsNowhere()
    {
        await using var server = new Fakes.LoopbackHttpServer { Handler = _ => Fakes.FakeResponse.Json(200, """{"access_token":"ya29.never-0123456789","expires_in":3600}""") };
        var credential = $$"""{"type":"authorized_user","client_id":"id","client_secret":"secret-0123","refresh_token":"refresh-0123","token_uri":"{{server.Url}}/token"}""";
        var connection = Connection(ProviderTypes.GoogleVertex, VertexAI.GlobalHost, "vertexai", maxAttempts: 1)
            with { ApiKey = credential, Project = "my-project-1", Region = "global", InstanceName = "Vertex" };
        var client = new VertexChatClient(connection, Http, "gemini-x", new GoogleAccessTokens(TimeProvider.System, _ => null));

        var (_, error) = await DrainFailingAsync(client);

        Assert.Equal(ProviderErrorKind.BadKey, error.Kind);
        Assert.Contains("The credential of 'Vertex' names a token endpoint that is not Google's (127.0.0.1), so its secrets were not sent", error.Message);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("https://oauth2.googleapis.com/token", true)]
    [InlineData("https://accounts.google.com/o/oauth2/token", true)]
    [InlineData("https://gateway.example:8443/token", true)]
    [InlineData("http://oauth2.googleapis.com/token", false)]
    [InlineData("https://oauth2.googleapis.com:8443/token", false)]
    [InlineData("https://oauth2.googleapis.com.evil.example/token", false)]
    [InlineData("https://x@oauth2.googleapis.com/token", false)]
    [InlineData("https://gateway.example/token", false)]
    [InlineData("token", false)]
    public void RequireGoogleTokenUri_FollowsGooglesHostsAndTheInstancesOwn(string tokenUri, bool followed)
    {
        var connection = Connection(ProviderTypes.GoogleVertex, "https://gateway.example:8443/v1", "vertexai") with { InstanceName = "Vertex" };

        if (followed) Assert.Equal(tokenUri, CloudNames.RequireGoogleTokenUri(connection, tokenUri));
        else Assert.Equal(ProviderErrorKind.BadKey, Assert.Throws<ProviderException>(() => CloudNames.RequireGoogleTokenUri(connection, tokenUri)).Kind);
    }

    [Fact]
    public void Bedrock_ARegionThatMovesTheHost_IsRefusedBeforeAnyUrlIsMade()
    {
        var connection = Connection(ProviderTypes.Bedrock, "https://bedrock-runtime.us-east-1.amazonaws.com", "bedrock") with { Region = "x@127.0.0.1:9/", InstanceName = "Bedrock" };

        var error = Assert.Throws<ProviderException>(() => BedrockRegion.Apply(connection));

        Assert.Contains("region 'x@127.0.0.1:9/' of 'Bedrock' is not an AWS region", error.Message);
        Assert.Equal("https://bedrock-runtime.eu-west-3.amazonaws.com", BedrockRegion.Apply(connection with { Region = "eu-west-3" }).Endpoint);
    }

    [Fact]
    public void RequireHost_AUrlLeadingElsewhere_IsNotSent()
    {
        var connection = Connection(ProviderTypes.Bedrock, "https://bedrock-runtime.us-east-1.amazonaws.com", "bedrock") with { InstanceName = "Bedrock" };

        Assert.Contains("does not lead to bedrock-runtime.us-east-1.amazonaws.com", Assert.Throws<ProviderException>(() =>
            CloudNames.RequireHost(connection, "https://bedrock-runtime.us-east-1.amazonaws.com@evil.example/model", "bedrock-runtime.us-east-1.amazonaws.com")).Message);
        Assert.Equal("https://portal.sso.eu-west-1.amazonaws.com/x", CloudNames.RequireHost(connection, "https://portal.sso.eu-west-1.amazonaws.com/x", "portal.sso.eu-west-1.amazonaws.com"));
    }

    [Fact]
    public void Azure_ADeploymentOrApiVersionOutOfShape_IsRefused()
    {
        var connection = Connection(ProviderTypes.Azure, "https://res.openai.azure.com", "azure") with { ApiVersion = "2024-10-21&x=1", InstanceName = "Azure" };

        Assert.Contains("api version '2024-10-21&x=1' of 'Azure'", Assert.Throws<ProviderException>(() => AzureOpenAI.ModelsUrl(connection, "https://res.openai.azure.com")).Message);
        Assert.Contains("deployment '../x' of 'Azure'", Assert.Throws<ProviderException>(() => AzureOpenAI.ChatUrl(connection with { ApiVersion = null }, "https://res.openai.azure.com", "../x")).Message);
    }
}
