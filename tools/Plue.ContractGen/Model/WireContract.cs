namespace Plue.ContractGen.Model;

/// <summary>The whole wire: methods in the contract's order, the types they reach in the order first met, the error codes.</summary>
public sealed record WireContract(IReadOnlyList<WireMethod> Methods, IReadOnlyList<WireType> Types, IReadOnlyList<WireErrorCode> ErrorCodes);
