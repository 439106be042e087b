using System.Text.Json.Serialization;

namespace Plue.Catalog.Import;

/// <summary>Catwalk's snake_case file format; members the importer does not read are skipped, and nulls are not written.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, NewLine = "\n",
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CatwalkProvider))]
public sealed partial class CatwalkJsonContext : JsonSerializerContext;
