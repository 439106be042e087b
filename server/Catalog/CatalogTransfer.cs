using System.Text;
using System.Text.Json;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Catalog;

/// <summary>Catalog files in and out of <c>catalog</c> records: <c>catalog/import</c> and <c>catalog/export</c>.</summary>
public sealed class CatalogTransfer(CodexService codex, CatalogChanges changes)
{
    /// <summary>The file made a record, through the one write path (its kind writes the user file; <see cref="CatalogChanges.Import"/>).</summary>
    public CodexRecord Import(CatalogImportParams file)
    {
        var name = string.IsNullOrWhiteSpace(file.FileName) ? "the file" : Path.GetFileName(file.FileName);
        if (name.Length > CatalogFiles.MaxNameLength) name = name[..CatalogFiles.MaxNameLength] + "…";
        // Counted before anything is parsed or stored: a huge file would slow every later catalog call.
        if (Encoding.UTF8.GetByteCount(file.Text) is var size && size > CatalogFiles.MaxBytes)
            throw RpcException.InvalidParams($"{name} is {size / (1024.0 * 1024):F1} MiB, larger than the {RegularFile.Describe(CatalogFiles.MaxBytes)} a catalog file may be; " +
                "a catalog file holds one provider and its models");
        CatalogProvider provider;
        try
        {
            provider = CatalogFileFormats.Read(Encoding.UTF8.GetBytes(file.Text), name);
        }
        catch (JsonException e)
        {
            var at = !JsonErrorWords.EndsEarly(e) && JsonErrorWords.Where(e) is { } where ? $" ({where})" : "";
            throw RpcException.InvalidParams($"{name} is not a catalog provider file{at}: {JsonErrorWords.Words(e)}; it must be one provider in Plue's catalog format or Catwalk's");
        }
        catch (InvalidDataException e)
        {
            throw RpcException.InvalidParams($"{name} cannot be imported: {e.Message}");
        }
        // What the record's own check cannot see: its title is the name, and a null type would read as the default one.
        if (CatalogValidator.Validate(provider).Where(p => p.StartsWith("name: ", StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(provider.Name) || p.StartsWith("type: required", StringComparison.Ordinal)).ToList() is { Count: > 0 } problems)
            throw RpcException.InvalidParams($"{name} cannot be imported: {string.Join("; ", problems)}");
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
