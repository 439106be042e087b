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
[JsonSerializable(typeof(Plue.Codex.Records.CodexRecord))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(PingParams))]
[JsonSerializable(typeof(PingResult))]
[JsonSerializable(typeof(PongParams))]
[JsonSerializable(typeof(IReadOnlyList<TemplateSummary>))]
[JsonSerializable(typeof(TemplateDetail))]
[JsonSerializable(typeof(IdParams))]
[JsonSerializable(typeof(RefParams))]
[JsonSerializable(typeof(TemplatesChangedParams))]
[JsonSerializable(typeof(Plue.Codex.Records.CodexDraft))]
[JsonSerializable(typeof(Plue.Codex.Records.CodexChange))]
[JsonSerializable(typeof(CodexListParams))]
[JsonSerializable(typeof(CodexListResult))]
[JsonSerializable(typeof(DeletedResult))]
[JsonSerializable(typeof(UndoResult))]
[JsonSerializable(typeof(ResolveResult))]
[JsonSerializable(typeof(IReadOnlyList<Plue.Codex.Records.HistoryEntry>))]
[JsonSerializable(typeof(IReadOnlyList<Plue.Codex.Prompts.PromptInfo>))]
[JsonSerializable(typeof(Plue.Codex.Prompts.Prompt))]
[JsonSerializable(typeof(IReadOnlyList<CatalogProviderSummary>))]
[JsonSerializable(typeof(CatalogModelsParams))]
[JsonSerializable(typeof(IReadOnlyList<CatalogModel>))]
[JsonSerializable(typeof(CatalogProvider))]
[JsonSerializable(typeof(DeleteCatalogParams))]
[JsonSerializable(typeof(DeleteCatalogResult))]
[JsonSerializable(typeof(IReadOnlyList<CatalogTemplate>))]
[JsonSerializable(typeof(ClaudeCodeAuthParams))]
[JsonSerializable(typeof(ClaudeCodeAuthResult))]
[JsonSerializable(typeof(PermissionRequestParams))]
[JsonSerializable(typeof(PermissionRequestResult))]
public sealed partial class PlueJsonContext : JsonSerializerContext;
