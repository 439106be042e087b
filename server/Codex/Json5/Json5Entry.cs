namespace Plue.Codex.Json5;

internal enum Json5EntryKind : byte
{
    Scalar,
    Object,
    Array,
}

/// <summary>
/// One parsed value as recorded by the parser: just an offset and its place in the tree. Pointers
/// and line/column are derived later by <see cref="Json5PositionMap"/>, only if someone asks.
/// </summary>
internal struct Json5Entry
{
    public int Offset;
    public int Parent; // entry index of the container, -1 for the root
    public string? Key; // member name, or null for an array element / the root
    public Json5EntryKind Kind;
    public bool Dead; // overwritten by a later duplicate key
}
