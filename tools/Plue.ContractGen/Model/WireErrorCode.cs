namespace Plue.ContractGen.Model;

/// <summary>An error code a response may carry: its name as the TypeScript const spells it, its number and meaning.</summary>
public sealed record WireErrorCode(string Name, int Code, string? Summary);
