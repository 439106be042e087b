namespace Plue.ContractGen.Model;

/// <summary>How a member, params or result refers to a wire type.</summary>
public abstract record TypeRef
{
    /// <summary>A JSON scalar or an any-JSON value, named as the TypeScript side declares it.</summary>
    public sealed record Scalar(ScalarKind Kind) : TypeRef;

    /// <summary>A type of the contract: an object, an enum or a discriminated union.</summary>
    public sealed record Named(string Name) : TypeRef;

    public sealed record ArrayOf(TypeRef Element) : TypeRef;

    /// <summary>A JSON object with string keys and values of one type.</summary>
    public sealed record MapOf(TypeRef Value) : TypeRef;

    /// <summary>A method's params when it takes none.</summary>
    public sealed record Nothing : TypeRef;
}
