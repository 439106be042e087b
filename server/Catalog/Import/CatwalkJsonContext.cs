using System.Text.Json.Serialization;

namespace Plue.Catalog.Import;

/// <summary>Catwalk's snake_case file format; members the importer does not read are skipped.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CatwalkProvider))]
public sealed partial class CatwalkJsonContext : JsonSerializerContext;
