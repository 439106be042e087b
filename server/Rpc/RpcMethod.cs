using System.Text.Json.Serialization.Metadata;

namespace Plue.Rpc;

/// <summary>Which side of the connection serves a method.</summary>
public enum Direction
{
    /// <summary>The client asks, the sidecar answers (or the client notifies the sidecar).</summary>
    ClientToSidecar,
    /// <summary>The sidecar asks the client (or notifies it).</summary>
    SidecarToClient,
}

/// <summary>
/// One method of a JSON-RPC contract: its name, which side serves it, and its wire types. The contract's
/// table of these is the one source of the wire: handlers are registered against it and the TypeScript
/// declarations and the protocol reference are generated from it.
/// </summary>
public abstract class RpcMethod(string name, Direction direction)
{
    public string Name { get; } = name;
    public Direction Direction { get; } = direction;

    /// <summary>The params' JSON metadata (made on first use: building it at start would JIT every DTO's code).</summary>
    public abstract JsonTypeInfo ParamsTypeInfo { get; }

    /// <summary>The result's JSON metadata; null for a notification.</summary>
    public abstract JsonTypeInfo? ResultTypeInfo { get; }

    public override string ToString() => Name;
}

/// <summary>A request: typed params in, a typed result out.</summary>
public sealed class RequestType<TParams, TResult>(string name, Func<JsonTypeInfo<TParams>> paramsType, Func<JsonTypeInfo<TResult>> resultType,
    Direction direction = Direction.ClientToSidecar) : RpcMethod(name, direction)
{
    public JsonTypeInfo<TParams> ParamsType => paramsType();
    public JsonTypeInfo<TResult> ResultType => resultType();
    public override JsonTypeInfo ParamsTypeInfo => ParamsType;
    public override JsonTypeInfo? ResultTypeInfo => ResultType;
}

/// <summary>A notification: typed params, no answer.</summary>
public sealed class NotificationType<TParams>(string name, Func<JsonTypeInfo<TParams>> paramsType,
    Direction direction = Direction.SidecarToClient) : RpcMethod(name, direction)
{
    public JsonTypeInfo<TParams> ParamsType => paramsType();
    public override JsonTypeInfo ParamsTypeInfo => ParamsType;
    public override JsonTypeInfo? ResultTypeInfo => null;
}
