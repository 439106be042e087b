using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plue.Acp;

/// <summary>The ACP wire's one source-generated JSON context (no reflection: the published sidecar is trimmed).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(AcpInitializeRequest))]
[JsonSerializable(typeof(AcpInitializeResponse))]
[JsonSerializable(typeof(AcpAuthenticateRequest))]
[JsonSerializable(typeof(AcpEmpty))]
[JsonSerializable(typeof(AcpNewSessionRequest))]
[JsonSerializable(typeof(AcpNewSessionResponse))]
[JsonSerializable(typeof(AcpLoadSessionRequest))]
[JsonSerializable(typeof(AcpLoadSessionResponse))]
[JsonSerializable(typeof(AcpPromptRequest))]
[JsonSerializable(typeof(AcpPromptResponse))]
[JsonSerializable(typeof(AcpCancelNotification))]
[JsonSerializable(typeof(AcpSessionNotification))]
[JsonSerializable(typeof(AcpContentBlock))]
[JsonSerializable(typeof(IReadOnlyList<AcpToolCallContent>))]
[JsonSerializable(typeof(AcpRequestPermissionRequest))]
[JsonSerializable(typeof(AcpRequestPermissionResponse))]
[JsonSerializable(typeof(AcpReadTextFileRequest))]
[JsonSerializable(typeof(AcpReadTextFileResponse))]
[JsonSerializable(typeof(AcpWriteTextFileRequest))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class AcpJson : JsonSerializerContext;
