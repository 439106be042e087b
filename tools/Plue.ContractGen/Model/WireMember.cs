namespace Plue.ContractGen.Model;

/// <summary>
/// A member of a wire object as it is on the wire: its serialized name, its type, whether the key may be absent
/// (<see cref="Optional"/>) and whether it may be present with a null value (<see cref="Nullable"/>).
/// </summary>
public sealed record WireMember(string Name, TypeRef Type, bool Optional, bool Nullable, string? Summary);
