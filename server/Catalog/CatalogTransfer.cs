using System.Text;
using System.Text.Json;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Catalog;

/// <summary>Catalog files in and out of <c>catalog</c> records: <c>catalog/import</c> and <c>catalog/export</c>.</summary>
public sealed class CatalogTransfer(CodexService codex, CatalogChanges changes)
{
    /// <summary>The file made a record, through the one write path (its kind writes the user file; <see cref="CatalogChanges.Import"/>).</summary>
    public CodexRecord Import(CatalogImportParams file)
    {
        var name = string.IsNullOrWhiteSpace(file.FileName) ? "the file" : Path.GetFileName(file.FileName);
        CatalogProvider provider;
        try
        {
            provider = CatalogFileFormats.Read(Encoding.UTF8.GetBytes(file.Text), name);
        }
        catch (JsonException e)
        {
            var at = JsonErrorWords.Where(e) is { } where ? $" ({where})" : "";
            throw RpcException.InvalidParams($"{name} is not a catalog provider file{at}: {JsonErrorWords.Words(e)}; it must be one provider in Plue's catalog format or Catwalk's");
        }
        catch (InvalidDataException e)
        {
            throw RpcException.InvalidParams($"{name} cannot be imported: {e.Message}");
        }
        return changes.Import(provider, name);
    }

    /// <summary>The record's provider as a file in the format asked.</summary>
    public CatalogExportResult Export(CatalogExportParams request)
    {
        var record = codex.Get(request.Id);
        if (!codex.IsA(record, CatalogRecords.TemplateId))
            throw RpcException.InvalidParams($"'{record.Title}' is a {record.TemplateId} record, not a custom catalog; export a record of the {CatalogRecords.TemplateId} template");
        var provider = CatalogRecords.ToProvider(record.Title, record.Fields);
        try
        {
            return new CatalogExportResult
            {
                FileName = provider.Id + ".json",
                Text = CatalogFileFormats.Write(provider, request.Format ?? CatalogFileFormats.Plue),
            };
        }
        catch (InvalidDataException e)
        {
            throw RpcException.InvalidParams($"'{record.Title}' cannot be exported: {e.Message}");
        }
    }
}
