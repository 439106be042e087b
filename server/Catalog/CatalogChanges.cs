using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Catalog;

/// <summary>
/// <c>catalog/create|update|delete</c>: conveniences over the one write path. Each names a provider by its id and
/// changes the <c>catalog</c> record that stands for it through <see cref="CodexService"/>, so the template's rules
/// and the kind's (<see cref="CatalogKind"/>), the backup, <c>codex/changed</c> and undo are those of every record,
/// and a refusal is the one <c>codex/*</c> gives, named by the method.
/// </summary>
public sealed class CatalogChanges(CodexService codex, CatalogStore store)
{
    /// <summary>Finding the record for an id and changing it is one step: two requests for one id do not both create.</summary>
    private readonly Lock _gate = new();

    /// <summary>A new record for the provider; a shipped id makes an override, as a record of that id does.</summary>
    public CatalogProviderSummary Create(CatalogProvider provider)
    {
        var method = Contract.CatalogCreate.Name;
        lock (_gate)
        {
            var draft = Draft(method, provider);
            Door(method, () => codex.Create(draft));
            return Summary(provider.Id);
        }
    }

    /// <summary>
    /// The provider's record made the given provider; a shipped provider without one gets an override record, and a
    /// file put there by hand becomes a record (the file backed up, and written back if the record is refused).
    /// </summary>
    public CatalogProviderSummary Update(CatalogProvider provider)
    {
        var method = Contract.CatalogUpdate.Name;
        lock (_gate)
        {
            var draft = Draft(method, provider);
            if (RecordOf(provider.Id) is { } record)
            {
                var fields = draft.Fields!;
                // The whole provider is given: an optional field it leaves out is removed from the record.
                foreach (var optional in (string[])[CatalogRecords.Endpoint, CatalogRecords.ApiKeyEnv, CatalogRecords.DefaultModel, CatalogRecords.SmallModel])
                    fields.TryAdd(optional, null);
                Door(method, () => codex.Update(new CodexChange { Id = record.Id, Version = record.Version, Title = provider.Name, Fields = fields }));
            }
            else
            {
                var existing = store.Find(provider.Id) ?? throw CatalogErrors.UnknownProvider(provider.Id);
                if (existing.Origin == CatalogOrigin.User) Adopt(existing, () => Door(method, () => codex.Create(draft)));
                else Door(method, () => codex.Create(draft));
            }
            return Summary(provider.Id);
        }
    }

    /// <summary>
    /// <c>catalog/import</c>: the provider made a record. A file already in the user catalog becomes the record it
    /// is (as <see cref="Update"/> adopts one); importing a provider a record already stands for gives that record
    /// back when it is the same provider, and otherwise says which catalog it is, to change there. Members the record
    /// has no field for are refused as <see cref="Create"/> refuses them, naming the file and the provider.
    /// </summary>
    /// <param name="fileName">The file's name, for messages.</param>
    public CodexRecord Import(CatalogProvider provider, string fileName)
    {
        RefuseUnkept(Contract.CatalogImport.Name, provider, $"{fileName} (provider '{provider.Id}'): ");
        var title = string.IsNullOrWhiteSpace(provider.Name) ? provider.Id : provider.Name;
        var draft = new CodexDraft { TemplateId = CatalogRecords.TemplateId, Title = title, Fields = CatalogRecords.ToFields(provider) };
        lock (_gate)
        {
            if (RecordOf(provider.Id) is { } record)
            {
                if (Normal(record.Title, record.Fields) == Normal(title, draft.Fields!)) return record;
                throw RpcException.InvalidParams($"{fileName} is provider '{provider.Id}', which is already your catalog '{record.Title}' ({record.Ref}) " +
                    "with other settings: open that catalog to change it, or delete it and import the file again");
            }
            if (store.Find(provider.Id) is { Origin: CatalogOrigin.User } file)
            {
                if (Normal(file.Provider.Name, CatalogRecords.ToFields(file.Provider)) != Normal(title, draft.Fields!))
                    throw RpcException.InvalidParams($"{fileName} is provider '{provider.Id}', which is already a file of your catalog ({file.Path}) " +
                        "with other settings: import it under another id, or remove that file first");
                CodexRecord? adopted = null;
                Adopt(file, () => adopted = codex.Create(draft));
                return adopted!;
            }
            return codex.Create(draft);
        }
    }

    /// <summary>A provider as the file its record writes would hold it, to tell whether two are the same.</summary>
    private static string Normal(string title, JsonObject fields) => CatalogFiles.Serialize(CatalogRecords.ToProvider(title, fields));

    /// <summary>
    /// Deletes the provider's record (its file goes, backed up; undo brings both back) and answers the shipped
    /// provider it overrode, if any. A file put there by hand, which no record stands for, is deleted as a file, backed up.
    /// </summary>
    public DeleteCatalogResult Delete(string id)
    {
        var method = Contract.CatalogDelete.Name;
        lock (_gate)
        {
            if (RecordOf(id) is { } record) Door(method, () => codex.Delete(record.Id));
            else CatalogErrors.Guard(method, id, () => store.Delete(id));
            return new DeleteCatalogResult { Id = id, Restored = store.Find(id)?.Summary };
        }
    }

    /// <summary>The record whose provider has this id, or null.</summary>
    private CodexRecord? RecordOf(string id)
    {
        string? cursor = null;
        do
        {
            var page = codex.List(new CodexQuery { TemplateIds = [CatalogRecords.TemplateId], Limit = 1000, Cursor = cursor });
            if (page.Items.FirstOrDefault(r => CatalogRecords.Read(r.Fields).ProviderId == id) is { } found) return found;
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return null;
    }

    /// <summary>A hand-written file is moved out of the new record's way (kept in backups), and put back when the record is refused.</summary>
    private void Adopt(CatalogEntry file, Action create)
    {
        store.Remove(file.Id);
        try
        {
            create();
        }
        catch
        {
            store.Put(file.Provider);
            throw;
        }
    }

    /// <summary>The record a whole provider makes; members the record has no field for are refused, never dropped.</summary>
    private static CodexDraft Draft(string method, CatalogProvider provider)
    {
        RefuseUnkept(method, provider);
        return new CodexDraft { TemplateId = CatalogRecords.TemplateId, Title = provider.Name, Fields = CatalogRecords.ToFields(provider) };
    }

    /// <param name="where">What each problem is prefixed with (an imported file's name and provider).</param>
    private static void RefuseUnkept(string method, CatalogProvider provider, string where = "")
    {
        var unkept = Unkept(provider).Select(u => where + u).ToList();
        if (unkept.Count > 0) throw CatalogErrors.Invalid(method, unkept);
    }

    private static IEnumerable<string> Unkept(CatalogProvider provider)
    {
        const string Fix = "a custom catalog keeps no such field (templates/catalog.json5); leave it out";
        if (provider.Note is not null) yield return $"note: {Fix}";
        if (provider.Supported is false) yield return $"supported: {Fix} (whether a provider is supported follows from its type)";
    }

    private CatalogProviderSummary Summary(string id) => store.Find(id)?.Summary ?? throw CatalogErrors.UnknownProvider(id);

    /// <summary>The write path's refusal as this method's: the same code, fields and words, the method named first.</summary>
    private static void Door(string method, Action write)
    {
        try
        {
            write();
        }
        catch (RpcException e)
        {
            throw new RpcException(e.Code, $"{method}: {e.Message}", e.Detail, e);
        }
    }
}
