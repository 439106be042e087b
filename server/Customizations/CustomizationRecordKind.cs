using Plue.Codex.Kinds;
using Plue.Protocol;

namespace Plue.Customizations;

/// <summary>
/// The <c>instruction</c>, <c>skill</c>, <c>command</c>, <c>agent</c> and <c>agent-hook</c> kinds: each write, here or
/// by another process, makes the customizations list merge its records again and tells <c>customizations/changed</c>.
/// Skills', commands' and agents' slugs are their names, typed and loaded as is: no dots (a command is <c>/name</c>).
/// </summary>
public sealed class CustomizationRecordKind(string templateId, Func<CustomizationRegistry> registry) : IRecordKind
{
    public string TemplateId => templateId;

    public bool SlugsHaveDots => false;

    public void Saved(CodexRecord? before, CodexRecord after) => registry().RecordsChanged();

    public void ChangedElsewhere(CodexChangedParams change) => registry().RecordsChanged();

    public void Deleted(CodexRecord record) => registry().RecordsChanged();

    public void Restored(CodexRecord record) => registry().RecordsChanged();
}
