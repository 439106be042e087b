using System.Text.Json.Nodes;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Protocol;

namespace Plue.Catalog;

/// <summary>
/// The <c>catalog</c> kind: a record made in the settings panel (or imported) is a user catalog file,
/// <c>$PLUE_HOME/catalog/&lt;provider_id&gt;.json</c>, written when the record is saved and deleted with it, each
/// file before a change backed up (<see cref="CatalogBackups"/>); undo writes the file back as the record was.
/// </summary>
public sealed class CatalogKind(CatalogStore store) : IRecordKind
{
    public string TemplateId => CatalogRecords.TemplateId;

    public IEnumerable<FieldError> Check(CodexRecord? before, JsonObject fields)
    {
        // The title is checked by the record itself; the validator needs one to judge the rest.
        var provider = CatalogRecords.ToProvider("name", fields);
        foreach (var problem in CatalogValidator.Validate(provider))
            yield return new FieldError(CatalogRecords.FieldOf(problem), CatalogRecords.InLabels(problem));
        var ownId = before is null ? null : CatalogRecords.ToProvider(before.Title, before.Fields).Id;
        if (provider.Id != ownId && store.Find(provider.Id) is { Origin: CatalogOrigin.User } taken)
            yield return new FieldError(CatalogRecords.ProviderId,
                $"'{provider.Id}' is already a catalog provider of yours ({taken.Path}); pick another id, or open that provider's record to change it");
    }

    public void Saved(CodexRecord? before, CodexRecord after)
    {
        var provider = ProviderOf(after);
        if (before is not null && ProviderOf(before).Id is var old && old != provider.Id) store.Remove(old);
        store.Put(provider);
    }

    public void Deleted(CodexRecord record) => store.Remove(ProviderOf(record).Id);

    public void Restored(CodexRecord record) => Saved(null, record);

    /// <summary>Another process's catalog record wrote its file: read the catalog again before the client asks it.</summary>
    public void ChangedElsewhere(CodexChangedParams change) => store.Reload();

    private static CatalogProvider ProviderOf(CodexRecord record) =>
        CatalogRecords.ToProvider(record.Title, record.Fields, CatalogRecords.Source(record.Id));
}
