using Plue.Rpc;

namespace Plue.Cli.Acp;

/// <summary>
/// The Agent Client Protocol's methods that <c>plue acp</c> serves and sends, protocol version 1, as
/// <c>schema/v1/schema.json</c> of npm <c>@agentclientprotocol/sdk</c> 2.4.0 defines them (docs/ACP.md).
/// </summary>
internal static class AcpMethods
{
    /// <summary>The ACP protocol version this agent speaks.</summary>
    public const int ProtocolVersion = 1;

    public static readonly RequestType<AcpInitializeRequest, AcpInitializeResponse> Initialize =
        new("initialize", () => AcpJson.Default.AcpInitializeRequest, () => AcpJson.Default.AcpInitializeResponse);

    public static readonly RequestType<AcpAuthenticateRequest, AcpEmpty> Authenticate =
        new("authenticate", () => AcpJson.Default.AcpAuthenticateRequest, () => AcpJson.Default.AcpEmpty);

    public static readonly RequestType<AcpNewSessionRequest, AcpNewSessionResponse> SessionNew =
        new("session/new", () => AcpJson.Default.AcpNewSessionRequest, () => AcpJson.Default.AcpNewSessionResponse);

    public static readonly RequestType<AcpLoadSessionRequest, AcpLoadSessionResponse> SessionLoad =
        new("session/load", () => AcpJson.Default.AcpLoadSessionRequest, () => AcpJson.Default.AcpLoadSessionResponse);

    public static readonly RequestType<AcpPromptRequest, AcpPromptResponse> SessionPrompt =
        new("session/prompt", () => AcpJson.Default.AcpPromptRequest, () => AcpJson.Default.AcpPromptResponse);


    public static readonly NotificationType<AcpCancelNotification> SessionCancel =
        new("session/cancel", () => AcpJson.Default.AcpCancelNotification, Direction.ClientToSidecar);

    public static readonly NotificationType<AcpSessionNotification> SessionUpdate =
        new("session/update", () => AcpJson.Default.AcpSessionNotification);

    public static readonly RequestType<AcpRequestPermissionRequest, AcpRequestPermissionResponse> RequestPermission =
        new("session/request_permission", () => AcpJson.Default.AcpRequestPermissionRequest, () => AcpJson.Default.AcpRequestPermissionResponse,
            Direction.SidecarToClient);
}
