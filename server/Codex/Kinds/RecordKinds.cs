using Plue.Codex.Templates;

namespace Plue.Codex.Kinds;

/// <summary>The kinds the features registered; a template's kind is the nearest one in its lineage.</summary>
public sealed class RecordKinds(IEnumerable<IRecordKind> kinds)
{
    private readonly IReadOnlyList<IRecordKind> _kinds = [.. kinds];

    public static readonly RecordKinds None = new([]);

    /// <summary>The kind of this template's records, or null when no feature declared one.</summary>
    public IRecordKind? For(TemplateDefinition template)
    {
        foreach (var id in template.Lineage)
            if (_kinds.FirstOrDefault(k => k.TemplateId == id) is { } kind) return kind;
        return null;
    }
}
