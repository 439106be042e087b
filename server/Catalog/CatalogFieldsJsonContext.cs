using System.Text.Json.Serialization;

namespace Plue.Catalog;

/// <summary>A <c>catalog</c> record's fields in the template's snake_case names; absent values are left out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CatalogFields))]
public sealed partial class CatalogFieldsJsonContext : JsonSerializerContext
{
}
