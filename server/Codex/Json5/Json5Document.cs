using System.Text.Json.Nodes;

namespace Plue.Codex.Json5;

/// <summary>The parsed value plus where every value starts, for <c>file:line:column</c> diagnostics.</summary>
public sealed class Json5Document
{
    // Positions are only needed when something goes wrong (or for tooling), so the pointer map is
    // built on first use; parsing itself only records offsets. Lazy is thread-safe and drops the
    // factory (and with it the parser's offset table) once the map exists.
    private readonly Lazy<IReadOnlyDictionary<string, Json5Position>> _positions;

    internal Json5Document(JsonNode? root, Func<IReadOnlyDictionary<string, Json5Position>> positions)
    {
        Root = root;
        _positions = new Lazy<IReadOnlyDictionary<string, Json5Position>>(positions);
    }

    /// <summary>The root value; <c>null</c> when the document is the literal <c>null</c>.</summary>
    public JsonNode? Root { get; }

    /// <summary>
    /// JSON Pointer (RFC 6901: "" is the root, "~" is written "~0" and "/" is written "~1") to the
    /// position of the first character of that value. Values overwritten by a later duplicate key
    /// (and everything inside them) are not listed, so every pointer resolves in <see cref="Root"/>.
    /// </summary>
    public IReadOnlyDictionary<string, Json5Position> Positions => _positions.Value;
}
