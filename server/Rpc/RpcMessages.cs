using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plue.Rpc;

/// <summary><c>$/cancelRequest</c> params.</summary>
public sealed record CancelParams
{
    public required RequestId Id { get; init; }
}

/// <summary><c>$/progress</c> params; <c>value</c> is the feature's own shape.</summary>
public sealed record ProgressParams
{
    public required RequestId Token { get; init; }
    public required JsonElement Value { get; init; }
}

/// <summary>The <c>error</c> member of a response.</summary>
public sealed record ResponseError
{
    public required int Code { get; init; }
    public required string Message { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Data { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CancelParams))]
[JsonSerializable(typeof(ProgressParams))]
[JsonSerializable(typeof(ResponseError))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class RpcJsonContext : JsonSerializerContext;
