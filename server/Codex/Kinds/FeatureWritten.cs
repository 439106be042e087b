using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Protocol;

namespace Plue.Codex.Kinds;

/// <summary>
/// The fields a template marks <c>role: "feature-written"</c> (left out of forms too): a kind that keeps callers off
/// them refuses a change to their value, each refusal naming the field as the template's errors do.
/// </summary>
public static class FeatureWritten
{
    /// <summary>The template's fields its feature alone writes, as the template marks them: the one list there is.</summary>
    public static IEnumerable<string> Names(TemplateDefinition template) =>
        template.Fields.Where(f => f.Role == FieldRole.FeatureWritten).Select(f => f.Name);

    /// <param name="refusal">What the kind says to a caller who changed the field; null: a caller may write it.</param>
    public static IEnumerable<FieldError> Changed(TemplateDefinition template, CodexRecord before, CodexRecord after, Func<string, string?> refusal)
    {
        foreach (var field in template.Fields)
        {
            if (field.Role != FieldRole.FeatureWritten || JsonNode.DeepEquals(before.Fields[field.Name], after.Fields[field.Name])) continue;
            if (refusal(field.Name) is { } message) yield return new FieldError(field.Name, message);
        }
    }
}
