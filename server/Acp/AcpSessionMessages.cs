using System.Text.Json;

namespace Plue.Acp;

// ACP's session methods (schema/v1/schema.json of @agentclientprotocol/sdk 2.4.0: NewSessionRequest/Response,
// LoadSessionRequest, PromptRequest/Response, CancelNotification, SessionModeState, SetSessionModeRequest).

internal sealed record AcpNewSessionRequest
{
    public required string Cwd { get; init; }
    public IReadOnlyList<JsonElement>? McpServers { get; init; }
}

internal sealed record AcpNewSessionResponse
{
    public required string SessionId { get; init; }
    public AcpSessionModeState? Modes { get; init; }
}

internal sealed record AcpLoadSessionRequest
{
    public required string SessionId { get; init; }
    public required string Cwd { get; init; }
    public IReadOnlyList<JsonElement>? McpServers { get; init; }
}

internal sealed record AcpLoadSessionResponse
{
    public AcpSessionModeState? Modes { get; init; }
}

internal sealed record AcpSessionModeState
{
    public required string CurrentModeId { get; init; }
    public required IReadOnlyList<AcpSessionMode> AvailableModes { get; init; }
}

internal sealed record AcpSessionMode
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
}

internal sealed record AcpPromptRequest
{
    public required string SessionId { get; init; }
    public required IReadOnlyList<AcpContentBlock> Prompt { get; init; }
}

internal sealed record AcpPromptResponse
{
    /// <summary>end_turn, max_tokens, max_turn_requests, refusal or cancelled.</summary>
    public required string StopReason { get; init; }
}

internal sealed record AcpCancelNotification
{
    public required string SessionId { get; init; }
}

/// <summary>
/// A content block, flat: <c>type</c> says which members it has (text: text; image: data, mimeType, uri?;
/// resource_link: uri, name, mimeType?; resource: resource). Flat rather than polymorphic, so a block whose
/// <c>type</c> is not first still reads, and one of a newer kind is told apart rather than refused whole.
/// </summary>
internal sealed record AcpContentBlock
{
    public required string Type { get; init; }
    public string? Text { get; init; }
    public string? Data { get; init; }
    public string? MimeType { get; init; }
    public string? Uri { get; init; }
    public string? Name { get; init; }
    public AcpResourceContents? Resource { get; init; }

    public static AcpContentBlock OfText(string text) => new() { Type = "text", Text = text };
}

/// <summary>An embedded resource's contents: text, or base64 <c>blob</c>.</summary>
internal sealed record AcpResourceContents
{
    public required string Uri { get; init; }
    public string? Text { get; init; }
    public string? Blob { get; init; }
    public string? MimeType { get; init; }
}
