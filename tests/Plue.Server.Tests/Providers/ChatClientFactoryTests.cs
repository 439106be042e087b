using System.IO.Pipelines;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Catalog;
using Plue.Providers;
using Plue.Providers.Acp;
using Plue.Providers.Bedrock;
using Plue.Providers.ClaudeCode;
using Plue.Providers.Vertex;
using Plue.Providers.VsCodeLm;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Rpc;
using Plue.Tests.Support;
using Plue.Workspace;

namespace Plue.Tests.Providers;

/// <summary>The factory's choice of backend for each provider type, always behind the secret scrubber.</summary>
public sealed class ChatClientFactoryTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly Pipe _in = new();
    private readonly Pipe _out = new();
    private readonly ClaudeCodeSessions _cliSessions = new();
    private readonly AcpAgentSessions _agents = new();
    private ChatClientFactory _factory = null!;

    public Task InitializeAsync()
    {
        var workspace = new WorkspaceContext();
        workspace.Initialize(Path.Combine(_dir.Path, "home"), [_dir.Path], trusted: true);
        var peer = new JsonRpcPeer(_in.Reader.AsStream(), _out.Writer.AsStream(), new RequestRouter(), TestLog.For<JsonRpcPeer>(),
            new JsonRpcPeerOptions { RequireInitialize = false });
        _factory = new ChatClientFactory(_cliSessions, new ClaudeCodeChildEnvironment(), peer, new LmPartStreams(), workspace, NullLoggerFactory.Instance, _agents);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _cliSessions.DisposeAsync();
        await _agents.DisposeAsync();
        _dir.Dispose();
    }

    private static ProviderConnection Instance(string type) => ProviderTestKit.Connection(type, "http://127.0.0.1:9", type);

    [Theory]
    [InlineData(ProviderTypes.Anthropic, typeof(AnthropicChatClient))]
    [InlineData(ProviderTypes.OpenAI, typeof(OpenAIChatClient))]
    [InlineData(ProviderTypes.OpenAICompatible, typeof(OpenAIChatClient))]
    [InlineData(ProviderTypes.OpenRouter, typeof(OpenAIChatClient))]
    [InlineData(ProviderTypes.Azure, typeof(OpenAIChatClient))]
    [InlineData(ProviderTypes.Ollama, typeof(OllamaChatClient))]
    [InlineData(ProviderTypes.Google, typeof(GeminiChatClient))]
    [InlineData(ProviderTypes.GoogleVertex, typeof(VertexChatClient))]
    [InlineData(ProviderTypes.Bedrock, typeof(BedrockChatClient))]
    [InlineData(ProviderTypes.VsCodeLm, typeof(VsCodeLmChatClient))]
    [InlineData(ProviderTypes.AcpAgent, typeof(AcpAgentChatClient))]
    public void Create_EachProviderType_GetsItsBackend_BehindTheSecretScrubber(string type, Type backend)
    {
        using var client = _factory.Create(Instance(type), "chat-1");

        Assert.IsType<SecretScrubbingChatClient>(client);
        Assert.IsType(backend, client.GetService(backend));
    }

    [Fact]
    public void Create_ClaudeCode_SharesTheFactorysPoolOfCliProcesses()
    {
        using var client = _factory.Create(Instance(ProviderTypes.ClaudeCode), "chat-1");

        Assert.IsType<ClaudeCodeChatClient>(client.GetService(typeof(ClaudeCodeChatClient)));
        Assert.Same(_cliSessions, client.GetService(typeof(ClaudeCodeSessions)));
        Assert.Equal("claude-code", client.GetService<ChatClientMetadata>()!.ProviderName);
    }

    [Fact]
    public void Create_UnknownProviderType_IsAProviderError_NamingTheType()
    {
        var error = Assert.Throws<RpcException>(() => _factory.Create(Instance("carrier-pigeon"), "chat-1"));

        Assert.Equal(PlueErrorCodes.ProviderError, error.Code);
        Assert.Equal("No backend serves provider type 'carrier-pigeon' yet", error.Message);
    }
}
