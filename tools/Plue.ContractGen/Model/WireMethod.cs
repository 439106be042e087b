using Plue.Rpc;

namespace Plue.ContractGen.Model;

/// <summary>One method of the contract. <see cref="Result"/> is null for a notification.</summary>
public sealed record WireMethod(string Name, Direction Direction, TypeRef Params, TypeRef? Result, string? Summary)
{
    public bool IsNotification => Result is null;

    /// <summary>The part before the slash (<c>session</c> of <c>session/send</c>); the LSP methods have none.</summary>
    public string Area => Name.Contains('/', StringComparison.Ordinal) ? Name[..Name.IndexOf('/', StringComparison.Ordinal)] : "lifecycle";
}
