using System.Text.Json.Nodes;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Tests.Instances;

/// <summary>
/// A provider instance has two doors, <c>codex/*</c> and <c>instances/*</c>: one write path behind them, so the same change
/// gets the same verdict through either, and a field the caller gave is kept or refused, never dropped without a word.
/// </summary>
public sealed class RecordDoorsTests : IDisposable
{
    private const string Secret = "sk-doors-RECOGNIZABLE-7";
    private const string Azure = "https://contoso.openai.azure.com";
    private readonly InstanceWorld _world = new();

    public void Dispose() => _world.Dispose();

    /// <summary>One change as each door spells it; <c>Refused</c> names the field the refusal must name (null: accepted).</summary>
    public sealed record DoorCase(string Name, JsonObject CodexFields, CreateInstanceParams Typed, string? Refused)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<DoorCase> Creates() =>
    [
        new("Azure with a deployment line that names no deployment",
            new() { ["catalog_provider_id"] = "azure", ["endpoint"] = Azure, ["deployments"] = new JsonArray("gpt-5= ") },
            new() { DisplayName = "x", CatalogProviderId = "azure", Endpoint = Azure, Deployments = new Dictionary<string, string> { ["gpt-5"] = " " } },
            "deployments"),
        new("Azure with a deployment that holds a path",
            new() { ["catalog_provider_id"] = "azure", ["endpoint"] = Azure, ["deployments"] = new JsonArray("gpt-5=a/b") },
            new() { DisplayName = "x", CatalogProviderId = "azure", Endpoint = Azure, Deployments = new Dictionary<string, string> { ["gpt-5"] = "a/b" } },
            "deployments"),
        new("Azure with a good deployment",
            new() { ["catalog_provider_id"] = "azure", ["endpoint"] = Azure, ["deployments"] = new JsonArray("gpt-5=prod") },
            new() { DisplayName = "x", CatalogProviderId = "azure", Endpoint = Azure, Deployments = new Dictionary<string, string> { ["gpt-5"] = "prod" } },
            null),
        new("a context window of 0 tokens",
            new() { ["catalog_provider_id"] = "openai", ["context_window"] = 0 },
            new() { DisplayName = "x", CatalogProviderId = "openai", ContextWindow = 0 },
            "context_window"),
        new("a negative context window",
            new() { ["catalog_provider_id"] = "openai", ["context_window"] = -5 },
            new() { DisplayName = "x", CatalogProviderId = "openai", ContextWindow = -5 },
            "context_window"),
        new("a provider the catalog does not have",
            new() { ["catalog_provider_id"] = "no-such-provider" },
            new() { DisplayName = "x", CatalogProviderId = "no-such-provider" },
            "no-such-provider"),
        new("a key reference that is not a vault reference",
            new() { ["catalog_provider_id"] = "openai", ["api_key_ref"] = "vault://openai" },
            new() { DisplayName = "x", CatalogProviderId = "openai", ApiKeyRef = "vault://openai" },
            "api_key_ref"),
        new("an Azure API version on an OpenAI instance (the template applies it to Azure only)",
            new() { ["catalog_provider_id"] = "openai", ["api_version"] = "2025-01-01" },
            new() { DisplayName = "x", CatalogProviderId = "openai", ApiVersion = "2025-01-01" },
            "api_version"),
        new("a fallback without its model",
            new() { ["catalog_provider_id"] = "openai", ["fallbacks"] = new JsonArray(new JsonObject { ["provider_ref"] = "env:openai", ["model_id"] = "" }) },
            new() { DisplayName = "x", CatalogProviderId = "openai", Fallbacks = [new ModelFallback { ProviderRef = "env:openai", ModelId = "" }] },
            "fallbacks"),
        new("a Vertex AI region that would move the host",
            new() { ["catalog_provider_id"] = "vertexai", ["region"] = "us-east5@evil.example#", ["project"] = "my-project-123" },
            new() { DisplayName = "x", CatalogProviderId = "vertexai", Region = "us-east5@evil.example#", Project = "my-project-123" },
            "region"),
        new("a Vertex AI project with a slash",
            new() { ["catalog_provider_id"] = "vertexai", ["region"] = "us-east5", ["project"] = "p/../x" },
            new() { DisplayName = "x", CatalogProviderId = "vertexai", Region = "us-east5", Project = "p/../x" },
            "project"),
        new("a Bedrock region with a host in it",
            new() { ["catalog_provider_id"] = "bedrock", ["region"] = "evil.example/x" },
            new() { DisplayName = "x", CatalogProviderId = "bedrock", Region = "evil.example/x" },
            "region"),
        new("an Azure API version with a fragment",
            new() { ["catalog_provider_id"] = "azure", ["endpoint"] = Azure, ["api_version"] = "2024-10-21#x" },
            new() { DisplayName = "x", CatalogProviderId = "azure", Endpoint = Azure, ApiVersion = "2024-10-21#x" },
            "api_version"),
        new("an Azure deployment with a space",
            new() { ["catalog_provider_id"] = "azure", ["endpoint"] = Azure, ["deployments"] = new JsonArray("gpt-5=my deployment") },
            new() { DisplayName = "x", CatalogProviderId = "azure", Endpoint = Azure, Deployments = new Dictionary<string, string> { ["gpt-5"] = "my deployment" } },
            "deployments"),
        new("a Vertex AI instance with a good region and project",
            new() { ["catalog_provider_id"] = "vertexai", ["region"] = "us-east5", ["project"] = "my-project-123" },
            new() { DisplayName = "x", CatalogProviderId = "vertexai", Region = "us-east5", Project = "my-project-123" },
            null),
        new("an OpenAI instance with its own endpoint",
            new() { ["catalog_provider_id"] = "openai", ["endpoint"] = "http://127.0.0.1:9/v1" },
            new() { DisplayName = "x", CatalogProviderId = "openai", Endpoint = "http://127.0.0.1:9/v1" },
            null),
    ];

    [Theory]
    [MemberData(nameof(Creates))]
    public void Create_SameChangeThroughEitherDoor_SameVerdict(DoorCase change)
    {
        var viaCodex = Verdict(() => _world.Codex.Service.Create(new CodexDraft { TemplateId = "llm-provider", Title = "Codex door", Fields = change.CodexFields }));
        var viaTyped = Verdict(() => _world.Service.Create(change.Typed with { DisplayName = "Typed door" }));

        Assert.Equal(change.Refused is null, viaCodex is null);
        Assert.Equal(change.Refused is null, viaTyped is null);
        if (change.Refused is { } field)
        {
            // Bad input: -32602 naming the field, and nothing was stored by either door.
            Assert.Contains(field, viaCodex, StringComparison.Ordinal);
            Assert.Contains(field, viaTyped, StringComparison.Ordinal);
            Assert.Empty(_world.Service.List());
            Assert.Empty(_world.Vault.List());
        }
    }

    public static TheoryData<DoorCase> Updates() =>
    [
        new("a deployment line that names no deployment",
            new() { ["deployments"] = new JsonArray("gpt-5= ") },
            new() { DisplayName = "", CatalogProviderId = "", Deployments = new Dictionary<string, string> { ["gpt-5"] = " " } },
            "deployments"),
        new("a context window of 0 tokens",
            new() { ["context_window"] = 0 },
            new() { DisplayName = "", CatalogProviderId = "", ContextWindow = 0 },
            "context_window"),
        new("a context window of 32768 tokens",
            new() { ["context_window"] = 32768 },
            new() { DisplayName = "", CatalogProviderId = "", ContextWindow = 32768 },
            null),
        new("an AWS profile on an Azure instance",
            new() { ["aws_profile"] = "dev" },
            new() { DisplayName = "", CatalogProviderId = "", Profile = "dev" },
            "aws_profile"),
    ];

    [Theory]
    [MemberData(nameof(Updates))]
    public void Update_SameChangeThroughEitherDoor_SameVerdict(DoorCase change)
    {
        var viaCodexTarget = _world.Service.Create(new CreateInstanceParams { DisplayName = "Codex door", CatalogProviderId = "azure", Endpoint = Azure, ApiKey = Secret });
        var viaTypedTarget = _world.Service.Create(new CreateInstanceParams { DisplayName = "Typed door", CatalogProviderId = "azure", Endpoint = Azure, ApiKey = Secret });
        var typed = change.Typed;

        var viaCodex = Verdict(() => _world.Codex.Service.Update(new CodexChange { Id = viaCodexTarget.Id, Version = viaCodexTarget.Version, Fields = change.CodexFields }));
        var viaTyped = Verdict(() => _world.Service.Update(new UpdateInstanceParams
        {
            Id = viaTypedTarget.Id, Version = viaTypedTarget.Version, Deployments = typed.Deployments, ContextWindow = typed.ContextWindow, Profile = typed.Profile,
        }));

        Assert.Equal(change.Refused is null, viaCodex is null);
        Assert.Equal(change.Refused is null, viaTyped is null);
        if (change.Refused is { } field)
        {
            Assert.Contains(field, viaCodex, StringComparison.Ordinal);
            Assert.Contains(field, viaTyped, StringComparison.Ordinal);
            // Refused: both records are as they were, keys included.
            Assert.All([viaCodexTarget, viaTypedTarget], i => Assert.Equal((1L, true), (_world.Service.Get(i.Id).Version, _world.Service.Get(i.Id).HasKey)));
        }
    }

    /// <summary>Null when the door accepted the change; else the refusal's message (a -32602, as for any bad input).</summary>
    private static string? Verdict(Action write)
    {
        try
        {
            write();
            return null;
        }
        catch (RpcException e)
        {
            Assert.Equal(ErrorCodes.InvalidParams, e.Code);
            return e.Message;
        }
    }
}
