using System.Text.Json;
using Plue.Catalog.Import;
using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>The two catalog file formats a user may bring or take: the project's own, and Catwalk's provider files.</summary>
public static class CatalogFileFormats
{
    public const string Plue = "plue";
    public const string Catwalk = "catwalk";

    /// <summary>
    /// A provider file in either format, told apart by Catwalk's snake_case members. Throws <see cref="JsonException"/>
    /// (with the line) for malformed JSON, <see cref="InvalidDataException"/> for a Catwalk file that cannot be converted.
    /// </summary>
    public static CatalogProvider Read(ReadOnlySpan<byte> utf8, string fileName)
    {
        if (!IsCatwalk(utf8)) return CatalogFiles.Parse(utf8);
        var source = JsonSerializer.Deserialize(utf8, CatwalkJsonContext.Default.CatwalkProvider)
            ?? throw new JsonException("the file holds null, not a provider object");
        return CatwalkImporter.ConvertUserFile(source, fileName);
    }

    /// <summary>The file text of <paramref name="provider"/> in <paramref name="format"/> (<see cref="Plue"/> or <see cref="Catwalk"/>).</summary>
    public static string Write(CatalogProvider provider, string format) => format switch
    {
        Plue => CatalogFiles.Serialize(provider),
        Catwalk => CatwalkExporter.Serialize(provider),
        _ => throw new InvalidDataException($"format '{format}' is not {Plue} or {Catwalk}"),
    };

    /// <summary>Catwalk names its members in snake_case (<c>api_endpoint</c>, <c>cost_per_1m_in</c>); the project's are camelCase.</summary>
    private static bool IsCatwalk(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object) return false;
            var root = document.RootElement;
            if (root.TryGetProperty("api_endpoint", out _) || root.TryGetProperty("api_key", out _) || root.TryGetProperty("default_large_model_id", out _)) return true;
            return root.TryGetProperty("models", out var models) && models.ValueKind == JsonValueKind.Array
                && models.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.Object && (m.TryGetProperty("cost_per_1m_in", out _) || m.TryGetProperty("context_window", out _)));
        }
        catch (JsonException)
        {
            return false; // the project's parser reports where it is broken
        }
    }
}
