using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Plue.Catalog;
using Plue.Protocol;
using Plue.Providers;
using Plue.Providers.VsCodeLm;
using Plue.Rpc;
using Plue.Tests.Rpc;
using static Plue.Tests.Providers.ProviderTestKit;

namespace Plue.Tests.Providers.VsCodeLm;

/// <summary>
/// A <c>vscode-lm</c> chat client over two production JSON-RPC peers joined by pipes: the sidecar's asks the editor's
/// <c>lm/chat</c> and <c>lm/models</c>, and the editor streams parts back as <c>lm/chatPart</c> notifications before it answers.
/// </summary>
public sealed class VsCodeLmChatClientTests : IAsyncLifetime
{
    private const string Model = "gpt-5-mini";
    private readonly Pipe _toEditor = new();
    private readonly Pipe _toSidecar = new();
    private readonly LmPartStreams _streams = new();
    private readonly ConcurrentQueue<LmChatParams> _asked = new();
    private JsonRpcPeer _sidecar = null!;
    private JsonRpcPeer _editor = null!;
    private Task _running = Task.CompletedTask;

    /// <summary>What the editor does with an lm/chat: streams parts (through <see cref="PartAsync"/>), then answers or throws.</summary>
    private Func<LmChatParams, CancellationToken, Task<LmChatResult>> _chat = (_, _) => Task.FromResult(new LmChatResult());

    private Func<LmModelsParams, LmModelsResult> _models = _ => new LmModelsResult { Models = [] };

    /// <summary>Whether the editor offers the Language Model API at all (an older editor answers MethodNotFound).</summary>
    private bool _offersLm = true;

    public Task InitializeAsync() => Task.CompletedTask;

    private void Start()
    {
        var options = new JsonRpcPeerOptions { RequireInitialize = false };
        var sidecarRouter = new RequestRouter();
        new VsCodeLmEndpoints(_streams, NullLogger<VsCodeLmEndpoints>.Instance).Map(sidecarRouter);
        _sidecar = new JsonRpcPeer(_toSidecar.Reader.AsStream(), _toEditor.Writer.AsStream(), sidecarRouter, TestLog.For<JsonRpcPeer>(), options);
        var editorRouter = new RequestRouter();
        if (_offersLm)
        {
            editorRouter.Add(Contract.LmChat, (p, ct) =>
            {
                _asked.Enqueue(p);
                return _chat(p, ct);
            });
            editorRouter.Add(Contract.LmModels, p => _models(p));
        }
        _editor = new JsonRpcPeer(_toEditor.Reader.AsStream(), _toSidecar.Writer.AsStream(), editorRouter, TestLog.For<JsonRpcPeer>(), options);
        _running = Task.WhenAll(_sidecar.RunAsync(CancellationToken.None), _editor.RunAsync(CancellationToken.None));
    }

    public async Task DisposeAsync()
    {
        _toEditor.Writer.Complete();
        _toSidecar.Writer.Complete();
        await _running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static ProviderConnection Instance(string catalogId = "vscode-lm") => new()
    {
        InstanceId = "inst-lm",
        InstanceName = "Editor models",
        ProviderType = ProviderTypes.VsCodeLm,
        CatalogProviderId = catalogId,
    };

    private VsCodeLmChatClient Client() => new(Instance(), _sidecar, _streams);

    private Task PartAsync(LmChatParams chat, LmPart part) =>
        _editor.NotifyAsync(Contract.LmChatPart, new LmPartParams { RequestId = chat.RequestId, Part = part }).AsTask();

    private static LmPart Text(string text) => new() { Text = text };

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public async Task Stream_TextAndToolCallParts_FoldWithUsage_AndTheConversationIsSentInTheApisShape()
    {
        _chat = async (chat, _) =>
        {
            await PartAsync(chat, Text("Hel"));
            await PartAsync(chat, Text("lo"));
            await PartAsync(chat, new LmPart { ToolCall = new LmToolCall { CallId = "c2", Name = "read_file", Input = Json("""{"path":"b.txt"}""") } });
            await PartAsync(chat, new LmPart { ToolCall = new LmToolCall { CallId = "c3", Name = "list", Input = Json("\"not an object\"") } });
            return new LmChatResult { InputTokens = 9, OutputTokens = 3 };
        };
        Start();
        List<ChatMessage> history =
        [
            new(ChatRole.System, "Be brief."),
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "read_file", new Dictionary<string, object?> { ["path"] = "a.txt" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "hi there")]),
            new(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png"), new TextContent("")]),
        ];

        var (updates, folded) = await DrainAsync(Client(), history, new ChatOptions { ModelId = Model, Tools = [Tool("read_file")] });

        Assert.Equal("Hello", folded.Text);
        var calls = folded.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(("c2", "b.txt"), (calls[0].CallId, calls[0].Arguments!["path"]!.ToString()));
        Assert.Equal(("c3", 0), (calls[1].CallId, calls[1].Arguments!.Count));
        var usage = UsageOf(updates);
        Assert.Equal((9L, 3L), (usage.InputTokenCount, usage.OutputTokenCount));
        var chat = Assert.Single(_asked);
        Assert.Equal(Model, chat.ModelId);
        Assert.Equal("read_file", Assert.Single(chat.Tools!).Name);
        Assert.Contains("'Editor models'", chat.Justification, StringComparison.Ordinal);
        // No system role: the instructions open the first user turn; the tool result and the next user turn are one user turn.
        Assert.Equal(["user", "assistant", "user"], chat.Messages.Select(m => m.Role));
        Assert.Equal(["Be brief.", "Hi"], chat.Messages[0].Parts.Select(p => p.Text));
        Assert.Equal(("c1", "a.txt"), (chat.Messages[1].Parts[0].ToolCall!.CallId, chat.Messages[1].Parts[0].ToolCall!.Input.GetProperty("path").GetString()));
        Assert.Equal(("c1", "hi there"), (chat.Messages[2].Parts[0].ToolResult!.CallId, chat.Messages[2].Parts[0].ToolResult!.Text));
        Assert.Equal("[image/png attachment: this model is reached through VS Code's Language Model API, which takes text only]", chat.Messages[2].Parts[1].Text);
        Assert.Equal(2, chat.Messages[2].Parts.Count);
    }

    [Fact]
    public async Task Stream_AnswerWithoutTokenCounts_HasNoUsage()
    {
        _chat = async (chat, _) =>
        {
            await PartAsync(chat, Text("ok"));
            return new LmChatResult { InputTokens = 4 };
        };
        Start();

        var (updates, folded) = await DrainAsync(Client(), Hello(), new ChatOptions { ModelId = Model });

        Assert.Equal("ok", folded.Text);
        Assert.Empty(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
    }

    [Fact]
    public async Task Stream_NoModelChosen_IsABadRequest_WithoutAskingTheEditor()
    {
        Start();

        var error = await Assert.ThrowsAsync<ProviderException>(() => DrainAsync(Client(), Hello()));

        Assert.Equal(ProviderErrorKind.BadRequest, error.Kind);
        Assert.Equal("Editor models: no model was chosen", error.Message);
        Assert.Empty(_asked);
    }

    [Theory]
    [InlineData("NoPermissions: the user did not allow Plue to use this model", ProviderErrorKind.BadKey)]
    [InlineData("NotFound: the model is gone", ProviderErrorKind.ModelNotFound)]
    [InlineData("Blocked: too many requests", ProviderErrorKind.RateLimited)]
    [InlineData("The prompt has an unsupported part", ProviderErrorKind.BadRequest)]
    public async Task Stream_EditorRefuses_IsAnErrorOfTheKindItsCodeNames_KeepingThePartsBefore(string refusal, ProviderErrorKind kind)
    {
        _chat = async (chat, _) =>
        {
            await PartAsync(chat, Text("par"));
            throw new RpcException(ErrorCodes.InternalError, refusal);
        };
        Start();

        var (updates, error) = await DrainFailingAsync(Client(), options: new ChatOptions { ModelId = Model });

        Assert.Equal("par", ProviderTestKit.Text(updates));
        Assert.Equal(kind, error.Kind);
        Assert.Equal("Editor models: " + refusal, error.Message);
    }

    [Fact]
    public async Task Stream_EditorWithoutTheLanguageModelApi_SaysWhichEditorIsNeeded()
    {
        _offersLm = false;
        Start();

        var (_, error) = await DrainFailingAsync(Client(), options: new ChatOptions { ModelId = Model });

        Assert.Equal(ProviderErrorKind.Unreachable, error.Kind);
        Assert.Equal("Editor models: this editor does not offer VS Code's Language Model API (VS Code 1.90 or later, with the Plue extension)", error.Message);
    }

    [Fact]
    public async Task Stream_EditorGoneBeforeAnswering_IsUnreachable_SayingModelsAreReachedOnlyFromTheEditor()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _chat = async (_, ct) =>
        {
            asked.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new LmChatResult();
        };
        Start();

        var failing = DrainFailingAsync(Client(), options: new ChatOptions { ModelId = Model });
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _toSidecar.Writer.Complete();
        var (_, error) = await failing;

        Assert.Equal(ProviderErrorKind.Unreachable, error.Kind);
        Assert.StartsWith("Editor models: the editor did not answer (the connection closed before the client answered)", error.Message);
    }

    [Fact]
    public async Task Stream_Cancelled_CancelsTheEditorsRequest()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var editorCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _chat = async (chat, ct) =>
        {
            await PartAsync(chat, Text("started"));
            asked.SetResult();
            using var _ = ct.Register(() => editorCancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
            return new LmChatResult();
        };
        Start();
        using var stop = new CancellationTokenSource();

        var draining = DrainAsync(Client(), Hello(), new ChatOptions { ModelId = Model }, stop.Token);
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => draining);
        await editorCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // The request's part stream was forgotten: a late part finds nobody waiting.
        Assert.False(_streams.Post(new LmPartParams { RequestId = _asked.Single().RequestId, Part = Text("late") }));
    }

    [Fact]
    public async Task Models_AreAskedOfTheEditor_CopilotsOnlyForACopilotInstance()
    {
        var vendors = new ConcurrentQueue<string?>();
        _models = p =>
        {
            vendors.Enqueue(p.Vendor);
            return new LmModelsResult { Models = [new LmModel { Id = "gpt-5-mini", Name = "GPT-5 mini", Vendor = "copilot", MaxInputTokens = 64000 }] };
        };
        Start();

        var models = await new VsCodeLmModels(_sidecar).ListAsync(Instance(VsCodeLmChatClient.CopilotProviderId), CancellationToken.None);
        await new VsCodeLmModels(_sidecar).ListAsync(Instance(), CancellationToken.None);

        var model = Assert.Single(models);
        Assert.Equal<(string, string?, int?)>(("gpt-5-mini", "GPT-5 mini", 64000), (model.Id, model.Name, model.ContextWindow));
        Assert.Equal(new string?[] { "copilot", null }, vendors);
    }

    [Fact]
    public async Task Models_NoneOffered_SaysWhatToInstall_ForEveryVendor()
    {
        Start();

        var error = await Assert.ThrowsAsync<ProviderException>(() => new VsCodeLmModels(_sidecar).ListAsync(Instance(), CancellationToken.None));

        Assert.Equal(ProviderErrorKind.ModelNotFound, error.Kind);
        Assert.Equal("VS Code offers no language models: install and sign in to an extension that provides them, such as GitHub Copilot Chat", error.Message);
    }

    [Fact]
    public async Task Models_EditorWithoutTheLanguageModelApi_IsUnreachable()
    {
        _offersLm = false;
        Start();

        var error = await Assert.ThrowsAsync<ProviderException>(() => new VsCodeLmModels(_sidecar).ListAsync(Instance(), CancellationToken.None));

        Assert.Equal(ProviderErrorKind.Unreachable, error.Kind);
        Assert.StartsWith("VS Code's language models are reached only from the editor, with the Plue extension (VS Code 1.90 or later): ", error.Message);
    }

    [Fact]
    public void PartStreams_ARequestIdOpenedTwice_IsRefused_AndFreedWhenItsLeaseEnds()
    {
        var lease = _streams.Open("r1");

        Assert.Throws<InvalidOperationException>(() => _streams.Open("r1"));
        Assert.True(_streams.Post(new LmPartParams { RequestId = "r1", Part = Text("a") }));
        lease.Dispose();
        Assert.False(_streams.Post(new LmPartParams { RequestId = "r1", Part = Text("b") }));
        _streams.Open("r1").Dispose();
    }
}
