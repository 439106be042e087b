using Plue.Codex.Templates;

namespace Plue.Codex.Kinds;

/// <summary>
/// The kinds the features registered; a template's kind is the nearest one in its lineage. A kind may use its
/// feature's services, which are built on the codex: the kinds are found when a record first needs one, after
/// the codex is built, so the codex and the features' services do not wait on each other.
/// </summary>
public sealed class RecordKinds(Func<IEnumerable<IRecordKind>> kinds)
{
    private readonly Lazy<IReadOnlyList<IRecordKind>> _kinds = new(() => [.. kinds()]);

    public RecordKinds(IEnumerable<IRecordKind> kinds) : this(() => kinds)
    {
    }

    public static readonly RecordKinds None = new([]);

    /// <summary>Finds the kinds now (each made with its feature's services), as the first record written would.</summary>
    public void Prepare() => _ = _kinds.Value;

    /// <summary>The kind of this template's records, or null when no feature declared one.</summary>
    public IRecordKind? For(TemplateDefinition template)
    {
        foreach (var id in template.Lineage)
            if (_kinds.Value.FirstOrDefault(k => k.TemplateId == id) is { } kind) return kind;
        return null;
    }
}
