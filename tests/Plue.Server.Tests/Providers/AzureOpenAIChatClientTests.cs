using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers;
using Plue.Providers.Discovery;
using Plue.Tests.Fakes;
using static Plue.Tests.Fakes.FakeOpenAIServer;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers;

/// <summary>
/// Azure OpenAI against a loopback resource that checks what Azure checks: the deployment in the path, an
/// api-version, and the key in <c>api-key</c> (or an Entra token as a bearer); it streams as OpenAI does, with Azure's
/// empty first chunk of prompt filter results.
/// </summary>
public sealed class AzureOpenAIChatClientTests : IAsyncLifetime
{
    private readonly FakeOpenAIServer _fake = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private ProviderConnection Azure(CredentialKind credential = CredentialKind.ApiKey, string? version = null) =>
        Connection(ProviderTypes.Azure, _fake.Http.Url, "azure") with
        {
            Credential = credential, ApiVersion = version, Deployments = new Dictionary<string, string> { ["gpt-5"] = "prod-gpt5" },
        };

    private static string PromptFilterChunk() => Data(JsonNode.Parse(
        """{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}""")!);

    [Fact]
    public async Task Stream_MappedModel_CallsItsDeploymentWithTheApiVersionAndTheKeyInApiKey()
    {
        _fake.EnqueueStream([PromptFilterChunk(), .. TextReply("Hel", "lo")]);

        var (updates, folded) = await DrainAsync(new OpenAIChatClient(Azure(), Http, "gpt-5"), Hello(), new ChatOptions { MaxOutputTokens = 50 });

        var request = Assert.Single(_fake.Requests);
        Assert.Equal(("POST", "/openai/deployments/prod-gpt5/chat/completions", "?api-version=2024-10-21"), (request.Method, request.Path, request.Query));
        Assert.Equal(Key, request.Header("api-key"));
        Assert.Null(request.Header("authorization"));
        Assert.Equal(50, (int?)request.Json["max_completion_tokens"]);
        Assert.Equal("Hello", folded.Text);
        Assert.Equal(12, UsageOf(updates).InputTokenCount);
    }

    [Fact]
    public async Task Stream_UnmappedModel_UsesItsOwnNameAsDeployment_EntraTokenIsABearer_VersionOverrides()
    {
        _fake.EnqueueStream(TextReply("ok"));

        await DrainAsync(new OpenAIChatClient(Azure(CredentialKind.AuthToken, "2025-04-01-preview"), Http, "gpt-5-mini"), Hello());

        var request = Assert.Single(_fake.Requests);
        Assert.Equal(("/openai/deployments/gpt-5-mini/chat/completions", "?api-version=2025-04-01-preview"), (request.Path, request.Query));
        Assert.Equal("Bearer " + Key, request.Header("authorization"));
        Assert.Null(request.Header("api-key"));
    }

    [Fact]
    public async Task HttpError_AzureAccessDenied_IsABadKeyWithoutTheKey()
    {
        _fake.Enqueue(FakeResponse.Json(401, """{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}"""));

        var (_, error) = await DrainFailingAsync(new OpenAIChatClient(Azure() with { MaxAttempts = 1 }, Http, "gpt-5"));

        Assert.Equal(ProviderErrorKind.BadKey, error.Kind);
        Assert.Contains("Access denied due to invalid subscription key", error.Message);
    }

    [Fact]
    public async Task Discovery_ChecksTheKeyOnTheModelsList_AndListsTheMappedModels()
    {
        _fake.Enqueue(FakeResponse.Json(200, """{"data":[{"id":"gpt-4o","status":"succeeded"}],"object":"list"}"""));

        var models = await new ModelDiscovery(Azure(), Http).DiscoverAsync(CancellationToken.None);

        var request = Assert.Single(_fake.Requests);
        Assert.Equal(("GET", "/openai/models", "?api-version=2024-10-21", Key), (request.Method, request.Path, request.Query, request.Header("api-key")));
        Assert.Equal(["gpt-5"], models.Select(m => m.Id));
    }
}
