using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>
/// The catalog file format: camelCase, unknown values written as explicit nulls, two-space indent
/// and LF so generated files diff cleanly. Comments and trailing commas are tolerated in user files.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = true,
    NewLine = "\n",
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(CatalogProvider))]
public sealed partial class CatalogJsonContext : JsonSerializerContext
{
    /// <summary>For writing: names such as "Command R+" stay readable instead of \u002B escapes.</summary>
    public static CatalogJsonContext Files { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
