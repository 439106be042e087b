namespace Plue.ContractGen.Model;

/// <summary>A named type of the contract.</summary>
public abstract record WireType(string Name, string? Summary);

/// <summary>A JSON object. <see cref="Tag"/> is its discriminator member when it is one variant of a <see cref="WireUnion"/>.</summary>
public sealed record WireObject(string Name, string? Summary, IReadOnlyList<WireMember> Members, WireTag? Tag) : WireType(Name, Summary);

/// <summary>An enum, sent as its serialized strings (or numbers).</summary>
public sealed record WireEnum(string Name, string? Summary, IReadOnlyList<WireEnumValue> Values) : WireType(Name, Summary);

/// <summary>A polymorphic type: one of <see cref="Variants"/>, told apart by the <see cref="Discriminator"/> member.</summary>
public sealed record WireUnion(string Name, string? Summary, string Discriminator, IReadOnlyList<string> Variants) : WireType(Name, Summary);

/// <summary>The discriminator member and value a union variant carries.</summary>
public sealed record WireTag(string Member, string Value);

/// <summary>One value of an enum: its JSON form (a quoted string or a number) and its doc.</summary>
public sealed record WireEnumValue(string Json, string? Summary);
