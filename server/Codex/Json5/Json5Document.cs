using System.Text.Json.Nodes;

namespace Plue.Codex.Json5;

/// <summary>The parsed value plus where every value starts, for <c>file:line:column</c> diagnostics.</summary>
public sealed class Json5Document
{
    // Positions are only needed when something goes wrong (or for tooling), so parsing only records
    // offsets and the line/column table is built on first use (Lazy is thread-safe).
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
