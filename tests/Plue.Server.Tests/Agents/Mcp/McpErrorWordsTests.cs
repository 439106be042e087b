using System.Text.Json;
using Plue.Agents.Mcp;

namespace Plue.Tests.Agents.Mcp;

/// <summary>The SDK's and the JSON library's words for an MCP server's bad answer, as users met them, put in theirs.</summary>
public sealed class McpErrorWordsTests
{
    [Fact]
    public void AnAnswerMissingRequiredMembers_NamesTheRequestAndTheMembers_AndWhatToDo()
    {
        var sdk = new JsonException("JSON deserialization for type 'ModelContextProtocol.Protocol.DiscoverResult' was missing required properties, including: 'supportedVersions', 'serverInfo'.");

        Assert.Equal("its answer to 'discover' lacks supportedVersions and serverInfo, which MCP requires: check that its command or URL is an MCP server, " +
            "and update it if it speaks an older or newer MCP than Plue", McpErrorWords.Of(new InvalidOperationException("wrapped", sdk)));
    }

    [Fact]
    public void AValueOfTheWrongKind_NamesTheRequestTheMemberAndWhere()
    {
        var sdk = new JsonException("The JSON value could not be converted to ModelContextProtocol.Protocol.ListToolsResult. Path: $.tools | LineNumber: 0 | BytePositionInLine: 10.", "$.tools", 0, 10);

        Assert.Equal("its answer to 'list tools' has a value of the wrong kind at tools (line 1, column 11): check that its command or URL is an MCP server, " +
            "and update it if it speaks an older or newer MCP than Plue", McpErrorWords.Of(sdk));
    }

    [Fact]
    public void OtherErrors_KeepTheirOwnWords()
    {
        Assert.Equal("connection refused", McpErrorWords.Of(new IOException("connection refused")));
    }
}
