using System.Text.Json;

namespace Plue.Rpc;

/// <summary>One parsed JSON-RPC message: a request, a notification or a response, or why it is none.</summary>
internal readonly record struct IncomingMessage(RequestId? Id, string? Method, JsonElement? Params, JsonElement? Result, JsonElement? ErrorObject, string? Error)
{
    public static IncomingMessage Read(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array) return Invalid(null, "batches are not supported");
        if (root.ValueKind != JsonValueKind.Object) return Invalid(null, $"a message must be a JSON object, not {root.ValueKind}");

        RequestId? id = null;
        if (root.TryGetProperty("id", out var rawId) && rawId.ValueKind != JsonValueKind.Null)
        {
            if (!RequestId.TryRead(rawId, out var parsed)) return Invalid(null, "'id' must be an integer or a string");
            id = parsed;
        }
        if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
            return Invalid(id, "'jsonrpc' must be \"2.0\"");

        JsonElement? @params = root.TryGetProperty("params", out var p) ? p : null;
        if (@params is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Array) })
            return Invalid(id, "'params' must be an object or an array");

        if (root.TryGetProperty("method", out var method))
        {
            if (method.ValueKind != JsonValueKind.String) return Invalid(id, "'method' must be a string");
            return new IncomingMessage(id, method.GetString(), @params, null, null, null);
        }

        var hasResult = root.TryGetProperty("result", out var result);
        var hasError = root.TryGetProperty("error", out var error);
        if (id is null || hasResult == hasError) return Invalid(id, "a message needs 'method', or 'id' with exactly one of 'result' and 'error'");
        if (hasError && error.ValueKind != JsonValueKind.Object) return Invalid(id, "'error' must be an object");
        return new IncomingMessage(id, null, null, hasResult ? result : null, hasError ? error : null, null);
    }

    private static IncomingMessage Invalid(RequestId? id, string why) => new(id, null, null, null, null, why);
}
