using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using Plue.Agents.Mcp;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Tests.Agents.Tools;
using Plue.Tests.Support;

namespace Plue.Tests.Agents.Mcp;

/// <summary>
/// <c>mcp/readResource</c>, <c>mcp/getPrompt</c> and <c>mcp/elicit</c> in the production host, over a real stdio MCP
/// server (Fixtures/mcp-offerings-server.js): what is not plain text, and a client's answers that are not answers.
/// </summary>
public sealed class McpOfferingsMethodTests
{
    private static readonly string s_fixture = Path.Combine(RepoPaths.Root, "tests", "Plue.Server.Tests", "Agents", "Mcp", "Fixtures", "mcp-offerings-server.js");

    private static async Task<SidecarWithClient> StartAsync(ToolWorkspace ws)
    {
        var sidecar = await SidecarWithClient.StartAsync(ws.Home, ws.Folder);
        await sidecar.CallAsync(Contract.CodexCreate.Name, new JsonObject
        {
            ["templateId"] = McpServerConfig.TemplateId,
            ["title"] = "Offerings",
            ["slug"] = "offerings",
            ["fields"] = new JsonObject { ["command"] = "node", ["args"] = new JsonArray(s_fixture) },
        });
        return sidecar;
    }

    private static Task<JsonObject> ReadAsync(SidecarWithClient sidecar, string uri) =>
        sidecar.CallAsync(Contract.McpReadResource.Name, new JsonObject { ["server"] = "offerings", ["uri"] = uri });

    /// <summary>Calls the fixture's <c>ask</c> tool on the shared connection, as a task does; its text says what it got.</summary>
    private static async Task<string> AskAsync(SidecarWithClient sidecar)
    {
        var connection = await sidecar.Services.GetRequiredService<McpServers>().ConnectAsync("offerings", CancellationToken.None);
        using var input = JsonDocument.Parse("{}");
        var result = await connection.CallAsync("ask", input.RootElement, CancellationToken.None);
        return Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
    }

    [Fact]
    public async Task McpReadResource_SeveralTextContents_JoinedWithABlankLine()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await StartAsync(ws);

        var read = await ReadAsync(sidecar, "fixture://parts");

        Assert.Equal("one\n\ntwo", read["text"]!.GetValue<string>());
        Assert.Equal("Offerings", read["serverTitle"]!.GetValue<string>());
        Assert.Equal("text/plain", read["mimeType"]!.GetValue<string>());
    }

    [Fact]
    public async Task McpReadResource_BinaryOnly_RefusedSayingOnlyTextCanBeAttached()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await StartAsync(ws);

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(sidecar, "fixture://logo"));

        Assert.Equal(PlueErrorCodes.McpServerError, error.Code);
        Assert.Equal("The resource fixture://logo of the MCP server Offerings has no text (image/png): only text can be attached.", error.Message);
    }

    [Fact]
    public async Task McpGetPrompt_ImageAndEmbeddedResource_TextInTheirPlaces()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await StartAsync(ws);

        var prompt = await sidecar.CallAsync(Contract.McpGetPrompt.Name, new JsonObject { ["server"] = "offerings", ["name"] = "mixed" });

        var messages = prompt["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), m["text"]!.GetValue<string>()));
        Assert.Equal([("user", "Look at this:"), ("user", "[image content left out]"), ("assistant", "embedded text")], messages);
    }

    [Fact]
    public async Task McpElicit_ClientAccepts_TheServerGetsTheValuesTyped()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await StartAsync(ws);
        sidecar.Elicit = _ => Task.FromResult(new McpElicitResult { Action = "accept", Content = new JsonObject { ["n"] = 2, ["ok"] = true } });

        Assert.Equal("""accept {"n":2,"ok":true}""", await AskAsync(sidecar));

        var asked = Assert.Single(sidecar.Elicited);
        Assert.Equal(("offerings", "Offerings", "How many?"), (asked.Server, asked.Title, asked.Message));
        Assert.Equal("integer", asked.RequestedSchema["properties"]!["n"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task McpElicit_ClientFails_TheServerIsToldCancel()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await StartAsync(ws);
        sidecar.Elicit = _ => throw new InvalidOperationException("the window closed");

        Assert.Equal("cancel null", await AskAsync(sidecar));
    }

    [Fact]
    public async Task McpElicit_UnknownActionWithValues_CancelsAndSendsNoValues()
    {
        using var ws = new ToolWorkspace();
        await using var sidecar = await StartAsync(ws);
        sidecar.Elicit = _ => Task.FromResult(new McpElicitResult { Action = "maybe", Content = new JsonObject { ["n"] = 1 } });

        Assert.Equal("cancel null", await AskAsync(sidecar));
    }
}
