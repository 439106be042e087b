namespace Plue.Protocol;

/// <summary>
/// What every record's view begins with: the record's id, slug, reference, version and title, set from the record in
/// one place (<c>RecordHeads.Headed</c>) for every kind's view, so no view copies them itself.
/// </summary>
public abstract record RecordHead
{
    public string Id { get; init; } = "";
    public string Slug { get; init; } = "";
    /// <summary>The reference other records name it by: <c>codex://&lt;collection&gt;/&lt;slug&gt;</c>.</summary>
    public string Ref { get; init; } = "";
    /// <summary>The version an update must name; bumped by every change.</summary>
    public long Version { get; init; }
    public string Title { get; init; } = "";

    /// <summary>The view with this head: a task's transcript written as a chat's keeps the task's.</summary>
    public T Onto<T>(T view) where T : RecordHead => (T)(view with { Id = Id, Slug = Slug, Ref = Ref, Version = Version, Title = Title });
}
