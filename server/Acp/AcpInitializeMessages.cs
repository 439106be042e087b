using System.Text.Json;

namespace Plue.Acp;

// ACP's `initialize` and `authenticate` (schema/v1/schema.json of @agentclientprotocol/sdk 2.4.0: InitializeRequest,
// InitializeResponse, AgentCapabilities, PromptCapabilities, McpCapabilities, AuthMethodAgent, Implementation).

internal sealed record AcpInitializeRequest
{
    public required int ProtocolVersion { get; init; }
    public JsonElement? ClientCapabilities { get; init; }
    public AcpImplementation? ClientInfo { get; init; }
}

internal sealed record AcpInitializeResponse
{
    public required int ProtocolVersion { get; init; }
    public required AcpAgentCapabilities AgentCapabilities { get; init; }
    public required IReadOnlyList<AcpAuthMethod> AuthMethods { get; init; }
    public AcpImplementation? AgentInfo { get; init; }
}

internal sealed record AcpAgentCapabilities
{
    public required bool LoadSession { get; init; }
    public required AcpPromptCapabilities PromptCapabilities { get; init; }
    public required AcpMcpCapabilities McpCapabilities { get; init; }
}

internal sealed record AcpPromptCapabilities
{
    public required bool Image { get; init; }
    public required bool Audio { get; init; }
    public required bool EmbeddedContext { get; init; }
}

internal sealed record AcpMcpCapabilities
{
    public required bool Http { get; init; }
    public required bool Sse { get; init; }
}

/// <summary>An "agent" auth method: the user does something the description says, then calls <c>authenticate</c>.</summary>
internal sealed record AcpAuthMethod
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
}

internal sealed record AcpImplementation
{
    public required string Name { get; init; }
    public string? Title { get; init; }
    public string? Version { get; init; }
}

internal sealed record AcpAuthenticateRequest
{
    public required string MethodId { get; init; }
}

/// <summary>An empty result (<c>authenticate</c>, <c>session/load</c>, <c>session/set_mode</c>).</summary>
internal sealed record AcpEmpty;
