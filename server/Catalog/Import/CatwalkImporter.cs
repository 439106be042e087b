using System.Text.Json;
using Plue.Protocol;

namespace Plue.Catalog.Import;

/// <summary>
/// Converts Catwalk provider files (github.com/charmbracelet/catwalk, MIT) into the project's catalog format,
/// deciding per file what the two "cached" price columns mean, and writes the shipped <c>catalog/</c> folder.
/// Run it with <c>plue catalog import &lt;catwalkDir&gt; &lt;outDir&gt;</c>.
/// </summary>
public static class CatwalkImporter
{
    /// <summary>
    /// Each Catwalk file's cache-price layout, decided by reading every row of it; one line says why.
    /// A file missing here stops the import: a new file must be inspected, not guessed.
    /// </summary>
    public static IReadOnlyDictionary<string, (CachePriceLayout Layout, string Reason)> Layouts { get; } =
        new Dictionary<string, (CachePriceLayout, string)>(StringComparer.Ordinal)
        {
            ["aihubmix"] = (CachePriceLayout.WriteThenRead, "Claude rows are write 1.25x / read 0.1x; the rest only set out_cached (a read price, some equal to input: no discount)"),
            ["alibaba-singapore"] = (CachePriceLayout.WriteThenRead, "rows with both columns have in_cached above input (write) and out_cached below (read); the rest only out_cached"),
            ["alibaba-united-states"] = (CachePriceLayout.WriteThenRead, "only out_cached is set, below input: DashScope's cached-input price"),
            ["anthropic"] = (CachePriceLayout.WriteThenRead, "Anthropic's own 1.25x write / 0.1x read: exactly Catwalk's documented convention"),
            ["atlascloud"] = (CachePriceLayout.WriteThenRead, "only out_cached is set: a read price (8 rows equal input: no discount)"),
            ["avian"] = (CachePriceLayout.ReadInInCached, "in_cached is below input (DeepSeek-style cache hit) and out_cached is always 0"),
            ["azure"] = (CachePriceLayout.ReadInEither, "Azure OpenAI bills no cache writes; gpt-5* repeat the read price in both columns, the rest put it in out_cached"),
            ["baseten"] = (CachePriceLayout.WriteThenRead, "only out_cached is set, at or below input: a read price"),
            ["bedrock-europe"] = (CachePriceLayout.WriteThenRead, "Claude on Bedrock: write 1.25x / read 0.1x, Catwalk's convention"),
            ["bedrock-united-states"] = (CachePriceLayout.WriteThenRead, "Claude on Bedrock: write 1.25x / read 0.1x, Catwalk's convention"),
            ["cerebras"] = (CachePriceLayout.NotPublished, "no cached columns at all"),
            ["chutes"] = (CachePriceLayout.ReadInInCached, "in_cached is below input and out_cached is always 0"),
            ["copilot"] = (CachePriceLayout.NotPublished, "a subscription: every price is 0, meaning not billed per token (imported as unknown)"),
            ["cortecs"] = (CachePriceLayout.NotPublished, "both columns are always 0"),
            ["deepseek"] = (CachePriceLayout.ReadInInCached, "DeepSeek's cache-hit price sits in in_cached; out_cached is always 0"),
            ["fireworks"] = (CachePriceLayout.WriteThenRead, "only out_cached is set, 0.1-0.5x input: a read price"),
            ["gemini"] = (CachePriceLayout.ReadInEither, "Gemini bills no per-token cache writes; the read price is in out_cached, or in in_cached where out_cached copies the output price"),
            ["groq"] = (CachePriceLayout.ReadInEither, "Groq's 50% cached-input price is repeated in both columns"),
            ["huggingface"] = (CachePriceLayout.NotPublished, "both columns are always 0"),
            ["ionet"] = (CachePriceLayout.ReadInInCached, "in_cached is below input and out_cached is always 0"),
            ["kimi"] = (CachePriceLayout.NotPublished, "a coding subscription: every price is 0 (imported as unknown)"),
            ["minimax"] = (CachePriceLayout.ReadThenWrite, "MiniMax lists read 0.1x input and write 0.375: here in_cached is the read and out_cached the write (M3's write is below its input, so size cannot decide)"),
            ["minimax-china"] = (CachePriceLayout.ReadThenWrite, "the same prices as minimax.json: in_cached read, out_cached write"),
            ["moonshot"] = (CachePriceLayout.ReadInInCached, "Moonshot's cache-hit price is in in_cached; out_cached is always 0"),
            ["nebius"] = (CachePriceLayout.NotPublished, "both columns are always 0"),
            ["neuralwatt"] = (CachePriceLayout.ReadInInCached, "in_cached is below input and out_cached is always 0"),
            ["openai"] = (CachePriceLayout.ByMagnitude, "mixed: gpt-5.6 is write 1.25x / read 0.1x, gpt-5.5/5.4 put the read in in_cached with out_cached 0, gpt-5.3 and older repeat it in both, o3/gpt-4 use out_cached"),
            ["opencode-go"] = (CachePriceLayout.ReadInInCached, "in_cached is below input and out_cached is always 0"),
            ["opencode-zen"] = (CachePriceLayout.ReadThenWrite, "Claude rows are in_cached 0.1x / out_cached 1.25x input, i.e. read then write; the rest only set in_cached (read)"),
            ["openrouter"] = (CachePriceLayout.WriteThenRead, "mirrors OpenRouter's input_cache_write / input_cache_read (Claude 1.25x / 0.1x; Gemini write 0.0833 is OpenRouter's own figure)"),
            ["pioneer"] = (CachePriceLayout.NotPublished, "both columns are always 0"),
            ["qiniucloud"] = (CachePriceLayout.CopiesOfBasePrices, "in_cached equals input and out_cached equals output on every row: copies, not cache prices"),
            ["scaleway"] = (CachePriceLayout.NotPublished, "both columns are always 0"),
            ["synthetic"] = (CachePriceLayout.ReadInEither, "the same discounted price (0.15-0.2x input) in both columns: a read price"),
            ["venice"] = (CachePriceLayout.NotPublished, "both columns are always 0"),
            ["vercel"] = (CachePriceLayout.WriteThenRead, "mirrors the gateway's write / read pair (minimax-m2.7-highspeed: write 0.375, read 0.06, as MiniMax lists)"),
            ["vertexai"] = (CachePriceLayout.WriteThenRead, "Claude rows are write 1.25x / read 0.1x; Gemini rows only set out_cached (read)"),
            ["xai"] = (CachePriceLayout.WriteThenRead, "only out_cached is set, below input: xAI's cached-input price"),
            ["zai"] = (CachePriceLayout.ReadInEither, "Z.ai's cached-input price is in in_cached on most rows and in out_cached on glm-5.3; no write price"),
            ["zhipu"] = (CachePriceLayout.ReadInEither, "as zai.json: the cached-input price in whichever column is set"),
            ["zhipu-coding"] = (CachePriceLayout.ReadInEither, "as zai.json: the cached-input price in whichever column is set"),
        };

    /// <summary>Public defaults for endpoints Catwalk leaves to an environment variable or empty, by provider id.</summary>
    private static readonly Dictionary<string, string?> s_publicEndpoints = new(StringComparer.Ordinal)
    {
        ["anthropic"] = "https://api.anthropic.com",
        ["openai"] = "https://api.openai.com/v1",
        ["gemini"] = "https://generativelanguage.googleapis.com",
        // Vertex AI's global endpoint; regional ones are <region>-aiplatform.googleapis.com.
        ["vertexai"] = "https://aiplatform.googleapis.com",
        // Catwalk's us.* / eu.* ids are cross-region inference profiles, callable from any region of the geography.
        ["bedrock"] = "https://bedrock-runtime.us-east-1.amazonaws.com",
        ["bedrock-europe"] = "https://bedrock-runtime.eu-central-1.amazonaws.com",
        // Every Azure OpenAI resource has its own host: there is no public default.
        ["azure"] = null,
    };

    /// <summary>Why a provider is not served yet, by Catwalk type (or id, for an otherwise supported type).</summary>
    private static readonly Dictionary<string, string> s_unsupportedNotes = new(StringComparer.Ordinal)
    {
        ["vercel"] = "No Vercel AI Gateway backend yet.",
    };

    /// <summary>What a served provider needs beyond an endpoint and a key, by id.</summary>
    private static readonly Dictionary<string, string> s_supportedNotes = new(StringComparer.Ordinal)
    {
        ["copilot"] = "Reached through VS Code's Language Model API, in the editor only: GitHub Copilot Chat installed and signed in; VS Code asks your consent once. Its models are the ones Copilot offers you.",
    };

    /// <summary>Converts every Catwalk file of <paramref name="catwalkDir"/>, plus the built-in providers, sorted by id.</summary>
    public static IReadOnlyList<CatalogProvider> ConvertAll(string catwalkDir, ICollection<string> warnings)
    {
        var commit = ReadCommit(catwalkDir);
        var files = Directory.GetFiles(catwalkDir, "*.json").Order(StringComparer.Ordinal).ToList();
        var unknown = files.Select(FileKey).Where(k => !Layouts.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException($"no cache-price layout decided for {string.Join(", ", unknown.Select(k => k + ".json"))}: " +
                "read every row's cost_per_1m_in_cached / cost_per_1m_out_cached and add a line to CatwalkImporter.Layouts");

        var providers = files.Select(f => ConvertFile(f, commit, warnings)).ToList();
        var anthropic = providers.Single(p => p.Id == "anthropic");
        providers.Add(BuiltInProviders.ClaudeCode(anthropic));
        providers.Add(BuiltInProviders.Ollama());
        providers.Add(BuiltInProviders.VsCodeLm());
        providers.Add(BuiltInProviders.OpenAICompatible());
        providers.Add(BuiltInProviders.AnthropicCompatible());
        providers.Add(BuiltInProviders.AcpAgent());
        return [.. providers.OrderBy(p => p.Id, StringComparer.Ordinal)];
    }

    /// <summary>Converts one Catwalk file, with the layout decided for it in <see cref="Layouts"/>.</summary>
    public static CatalogProvider ConvertFile(string path, string commit, ICollection<string> warnings)
    {
        var key = FileKey(path);
        var source = JsonSerializer.Deserialize(File.ReadAllBytes(path), CatwalkJsonContext.Default.CatwalkProvider)
            ?? throw new InvalidDataException($"{path}: holds null");
        var layout = Layouts.TryGetValue(key, out var decided) ? decided.Layout
            : throw new InvalidDataException($"{path}: no cache-price layout decided for this file");

        var (type, supported) = MapType(source);
        var models = source.Models.Select(m => ConvertModel(m, layout, $"{Path.GetFileName(path)} {m.Id}")).ToList();
        var ids = models.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        return new CatalogProvider
        {
            Id = source.Id,
            Name = source.Name,
            Type = type,
            Supported = supported,
            Note = supported ? s_supportedNotes.GetValueOrDefault(source.Id) : s_unsupportedNotes.GetValueOrDefault(source.Id) ?? s_unsupportedNotes.GetValueOrDefault(source.Type),
            DefaultEndpoint = MapEndpoint(source, path),
            ApiKeyEnv = source.ApiKey is ['$', .. var env] ? env : null,
            DefaultLargeModelId = KnownModel(source.DefaultLargeModelId, ids, path, "default_large_model_id", warnings),
            DefaultSmallModelId = KnownModel(source.DefaultSmallModelId, ids, path, "default_small_model_id", warnings),
            Source = $"catwalk:{Path.GetFileName(path)}@{commit[..Math.Min(12, commit.Length)]}",
            Models = models,
        };
    }

    /// <summary>
    /// A Catwalk file a user brought (imported, or put in the user catalog): its cache prices read by the layout
    /// decided for its id, else as Catwalk documents them (in_cached a write, out_cached a read); an endpoint
    /// left to a variable is left out, for the instance to give.
    /// </summary>
    public static CatalogProvider ConvertUserFile(CatwalkProvider source, string fileName)
    {
        var layout = Layouts.TryGetValue(source.Id, out var decided) ? decided.Layout : CachePriceLayout.WriteThenRead;
        var (type, supported) = MapType(source);
        var models = source.Models.Select(m => ConvertModel(m, layout, $"{fileName} {m.Id}")).ToList();
        var ids = models.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var endpoint = source.ApiEndpoint;
        var ignored = new List<string>();
        return new CatalogProvider
        {
            Id = source.Id,
            Name = source.Name,
            Type = type,
            Supported = supported ? null : false,
            DefaultEndpoint = type == ProviderTypes.VsCodeLm ? null
                : !string.IsNullOrEmpty(endpoint) && !endpoint.StartsWith('$') ? endpoint.TrimEnd('/') : s_publicEndpoints.GetValueOrDefault(source.Id),
            ApiKeyEnv = source.ApiKey is ['$', .. var env] ? env : null,
            DefaultLargeModelId = KnownModel(source.DefaultLargeModelId, ids, fileName, "default_large_model_id", ignored),
            DefaultSmallModelId = KnownModel(source.DefaultSmallModelId, ids, fileName, "default_small_model_id", ignored),
            Source = $"catwalk:{fileName}",
            Models = models,
        };
    }

    /// <summary>
    /// The four prices of one Catwalk row under a file's layout. Zero means "not published" (null), except
    /// for a model whose input and output are both 0 and whose id or name says free: every price is then 0.
    /// Throws when a row breaks what its layout promised, so changed data gets looked at again.
    /// </summary>
    public static ModelPrices MapPrices(CatwalkModel model, CachePriceLayout layout, string where)
    {
        double? input = Positive(model.CostPer1mIn), output = Positive(model.CostPer1mOut);
        if (input is null && output is null)
            return LooksFree(model) ? new ModelPrices { Input = 0, Output = 0, CacheRead = 0, CacheWrite = 0 } : ModelPrices.Unknown;

        double? inCached = Positive(model.CostPer1mInCached), outCached = Positive(model.CostPer1mOutCached);
        (double? Read, double? Write) cache = layout switch
        {
            CachePriceLayout.WriteThenRead => (outCached, inCached),
            CachePriceLayout.ReadThenWrite => (inCached, outCached),
            CachePriceLayout.ReadInInCached => outCached is null ? (inCached, null)
                : throw Broken(where, layout, "out_cached is set"),
            CachePriceLayout.ReadInEither => ReadInEither(inCached, outCached, output, where),
            CachePriceLayout.ByMagnitude => ByMagnitude(inCached, outCached, input, where),
            CachePriceLayout.CopiesOfBasePrices => Same(model.CostPer1mInCached, model.CostPer1mIn) && Same(model.CostPer1mOutCached, model.CostPer1mOut)
                ? (null, null) : throw Broken(where, layout, "the cached columns differ from input / output"),
            CachePriceLayout.NotPublished => inCached is null && outCached is null ? (null, null)
                : throw Broken(where, layout, "a cached column is set"),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, null),
        };
        return new ModelPrices { Input = input, Output = output, CacheRead = cache.Read, CacheWrite = cache.Write };
    }

    /// <summary>Writes the catalog to <paramref name="outDir"/>: one file per provider, stale provider files removed, Catwalk's licence and source beside them.</summary>
    public static IReadOnlyList<CatalogProvider> Run(string catwalkDir, string outDir, ICollection<string> warnings)
    {
        var providers = ConvertAll(catwalkDir, warnings);
        Directory.CreateDirectory(outDir);
        var written = providers.Select(p => p.Id + ".json").ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Directory.GetFiles(outDir, "*.json").Where(f => !written.Contains(Path.GetFileName(f))))
            File.Delete(stale);
        foreach (var provider in providers)
            File.WriteAllText(Path.Combine(outDir, provider.Id + ".json"), CatalogFiles.Serialize(provider));
        File.Copy(Path.Combine(catwalkDir, "LICENSE"), Path.Combine(outDir, "CATWALK-LICENSE"), overwrite: true);
        File.Copy(Path.Combine(catwalkDir, "SOURCE"), Path.Combine(outDir, "CATWALK-SOURCE"), overwrite: true);
        return providers;
    }

    /// <summary>The command line: <c>plue catalog import &lt;catwalkDir&gt; &lt;outDir&gt;</c>.</summary>
    public static int RunCommand(string catwalkDir, string outDir, TextWriter output, TextWriter error)
    {
        try
        {
            var warnings = new List<string>();
            var providers = Run(catwalkDir, outDir, warnings);
            foreach (var warning in warnings) error.WriteLine("warning: " + warning);
            output.WriteLine($"wrote {providers.Count} providers ({providers.Sum(p => p.Models.Count)} models) to {Path.GetFullPath(outDir)}");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            error.WriteLine("plue catalog import: " + e.Message);
            return 1;
        }
    }

    private static CatalogModel ConvertModel(CatwalkModel m, CachePriceLayout layout, string where)
    {
        var canReason = m.CanReason ?? false;
        return new CatalogModel
        {
            Id = m.Id,
            Name = string.IsNullOrWhiteSpace(m.Name) ? m.Id : m.Name,
            ContextWindow = m.ContextWindow is > 0 ? m.ContextWindow : null,
            MaxOutput = m.DefaultMaxTokens is > 0 ? m.DefaultMaxTokens : null,
            Prices = MapPrices(m, layout, where),
            CanReason = canReason,
            // Catwalk gives some non-reasoning models a default effort; it means nothing there.
            ReasoningLevels = canReason ? m.ReasoningLevels ?? [] : [],
            DefaultReasoningEffort = canReason && !string.IsNullOrEmpty(m.DefaultReasoningEffort) ? m.DefaultReasoningEffort : null,
            SupportsAttachments = m.SupportsAttachments ?? false,
        };
    }

    private static (string Type, bool Supported) MapType(CatwalkProvider p) => p.Type switch
    {
        "anthropic" => (ProviderTypes.Anthropic, true),
        // Catwalk's "openai" means "speaks OpenAI's API": only OpenAI itself gets the openai backend.
        "openai" => (p.Id == "openai" ? ProviderTypes.OpenAI : ProviderTypes.OpenAICompatible, true),
        // GitHub Copilot is used the sanctioned way: through the editor's Language Model API, not its HTTP endpoint.
        "openai-compat" when p.Id == "copilot" => (ProviderTypes.VsCodeLm, true),
        "openai-compat" => (ProviderTypes.OpenAICompatible, !s_unsupportedNotes.ContainsKey(p.Id)),
        "openrouter" => (ProviderTypes.OpenRouter, true),
        "google" => (ProviderTypes.Google, true),
        "azure" => (ProviderTypes.Azure, true),
        "google-vertex" => (ProviderTypes.GoogleVertex, true),
        "bedrock" => (ProviderTypes.Bedrock, true),
        var other when ProviderTypes.Unsupported.Contains(other) => (other, false),
        var other => throw new InvalidDataException($"{p.Id}: Catwalk type '{other}' has no mapping; add one to CatwalkImporter.MapType"),
    };

    private static string? MapEndpoint(CatwalkProvider p, string path)
    {
        if (MapType(p).Type == ProviderTypes.VsCodeLm) return null;
        var endpoint = p.ApiEndpoint;
        if (!string.IsNullOrEmpty(endpoint) && !endpoint.StartsWith('$')) return endpoint.TrimEnd('/');
        return s_publicEndpoints.TryGetValue(p.Id, out var known) ? known
            : throw new InvalidDataException($"{path}: endpoint '{endpoint}' is a placeholder; add the provider's public default to CatwalkImporter");
    }

    private static string? KnownModel(string? id, HashSet<string> ids, string path, string field, ICollection<string> warnings)
    {
        if (string.IsNullOrEmpty(id)) return null;
        if (ids.Contains(id)) return id;
        warnings.Add($"{Path.GetFileName(path)}: {field} '{id}' is not one of its models; imported as null");
        return null;
    }

    private static (double? Read, double? Write) ReadInEither(double? inCached, double? outCached, double? output, string where) =>
        (inCached, outCached) switch
        {
            (null, var o) => (o, null),
            (var i, null) => (i, null),
            var (i, o) when i == o => (i, null),
            // Gemini: out_cached repeats the output price on a few rows; the read price is in in_cached.
            var (i, o) when o == output => (i, null),
            _ => throw Broken(where, CachePriceLayout.ReadInEither, "the two columns hold different prices"),
        };

    private static (double? Read, double? Write) ByMagnitude(double? inCached, double? outCached, double? input, string where)
    {
        double? read = null, write = null;
        foreach (var value in new[] { inCached, outCached })
        {
            if (value is not { } v) continue;
            ref var slot = ref (input is { } i && v > i ? ref write : ref read);
            if (slot is { } taken && taken != v) throw Broken(where, CachePriceLayout.ByMagnitude, "two different prices fall on the same side of input");
            slot = v;
        }
        return (read, write);
    }

    private static bool LooksFree(CatwalkModel m) =>
        m.Id.Contains("free", StringComparison.OrdinalIgnoreCase) || (m.Name?.Contains("free", StringComparison.OrdinalIgnoreCase) ?? false);

    private static double? Positive(double? price) => price is > 0 and var p ? Math.Round(p, 9) : null;

    private static bool Same(double? a, double? b) => (a ?? 0) == (b ?? 0);

    private static InvalidDataException Broken(string where, CachePriceLayout layout, string what) =>
        new($"{where}: {what}, which layout {layout} rules out; inspect the file again and update CatwalkImporter.Layouts");

    private static string FileKey(string path) => Path.GetFileNameWithoutExtension(path);

    private static string ReadCommit(string catwalkDir)
    {
        var sourceFile = Path.Combine(catwalkDir, "SOURCE");
        return File.Exists(sourceFile) ? File.ReadAllText(sourceFile).Split(' ', 2)[0].Trim() : "unknown";
    }
}
