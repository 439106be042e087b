using System.Text.Json.Serialization;
using Plue.Catalog;

namespace Plue.Protocol;

/// <summary>The one source-generated serializer context for every wire DTO of the features.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(InitializeParams))]
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(EmptyParams))]
[JsonSerializable(typeof(PingParams))]
[JsonSerializable(typeof(PingResult))]
[JsonSerializable(typeof(PongParams))]
[JsonSerializable(typeof(IReadOnlyList<CatalogProviderSummary>))]
[JsonSerializable(typeof(CatalogModelsParams))]
[JsonSerializable(typeof(IReadOnlyList<CatalogModel>))]
[JsonSerializable(typeof(CatalogProvider))]
[JsonSerializable(typeof(DeleteCatalogParams))]
[JsonSerializable(typeof(DeleteCatalogResult))]
[JsonSerializable(typeof(IReadOnlyList<CatalogTemplate>))]
public sealed partial class PlueJsonContext : JsonSerializerContext;
