using Plue.Protocol;

namespace Plue.Codex.Kinds;

/// <summary>Where every kind's view gets the record's head from.</summary>
public static class RecordHeads
{
    /// <summary>The view with the record's id, slug, reference, version and title.</summary>
    public static T Headed<T>(this T view, CodexRecord record) where T : RecordHead =>
        (T)(view with { Id = record.Id, Slug = record.Slug, Ref = record.Ref, Version = record.Version, Title = record.Title });
}
