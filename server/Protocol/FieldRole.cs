using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>What a field is for beyond its type, so a form treats a template's own fields as it treats the shipped ones.</summary>
public enum FieldRole
{
    /// <summary>A <c>vault://</c> reference: a masked box that stores the secret in the vault and never shows it.</summary>
    [JsonStringEnumMemberName("secret")] Secret,
    /// <summary>A model id: the box suggests the models of the provider instance the record names.</summary>
    [JsonStringEnumMemberName("model")] Model,
    /// <summary>
    /// Names a provider instance (<c>codex://providers/&lt;slug&gt;</c>, or <c>env:&lt;provider&gt;</c> for a key from the
    /// environment): the box suggests the instances there are, and the form's model boxes follow the one it names.
    /// </summary>
    [JsonStringEnumMemberName("instance")] Instance,
    /// <summary>
    /// Written by the record's feature (a task's result, a chat's model): left out of forms, and refused to a caller's
    /// <c>codex/create</c>, <c>codex/update</c> and <c>codex/undo</c> where the feature declared the template's kind, or
    /// checked as the feature's own request checks it (a chat's model). A chat's next message stays the caller's:
    /// writing it sends it.
    /// </summary>
    [JsonStringEnumMemberName("feature-written")] FeatureWritten,
}
