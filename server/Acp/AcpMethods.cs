using Plue.Rpc;

namespace Plue.Acp;

/// <summary>
/// The Agent Client Protocol's methods, protocol version 1: those <c>plue acp</c> serves and sends, and those an
/// <c>acp-agent</c> instance sends its agent and serves it (<see cref="Direction"/> as the agent sees them), as
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

    /// <summary><c>initialize</c> as a client sends it: the agent's answer is read as it comes, whatever it leaves out.</summary>
    public static readonly RequestType<AcpInitializeRequest, System.Text.Json.JsonElement> InitializeAgent =
        new("initialize", () => AcpJson.Default.AcpInitializeRequest, () => AcpJson.Default.JsonElement);

    public static readonly RequestType<AcpReadTextFileRequest, AcpReadTextFileResponse> FsReadTextFile =
        new("fs/read_text_file", () => AcpJson.Default.AcpReadTextFileRequest, () => AcpJson.Default.AcpReadTextFileResponse, Direction.SidecarToClient);

    public static readonly RequestType<AcpWriteTextFileRequest, AcpEmpty> FsWriteTextFile =
        new("fs/write_text_file", () => AcpJson.Default.AcpWriteTextFileRequest, () => AcpJson.Default.AcpEmpty, Direction.SidecarToClient);
}
