using Plue.Codex.Kinds;
using Plue.Codex.Prompts;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex;

/// <summary>
/// The templates, codex and prompts methods, <c>templates/changed</c> whenever template files reload, and
/// <c>codex/changed</c> for every change this process commits (Sidecar's <c>StoreWatcher</c> tells other processes').
/// </summary>
public sealed class CodexEndpoints(CodexService codex, TemplateRegistry templates, PromptLibrary prompts, RecordKinds kinds, JsonRpcPeer peer) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.TemplatesList, _ => TemplateList());
        router.Add(Contract.TemplatesGet, p => Template(p.Id));
        router.Add(Contract.TemplatesValidate, p =>
        {
            var (problems, id) = templates.Validate(p.File, p.Text);
            var replacing = id is not null && templates.Find(id) is { } t && t.FilePath == Path.GetFullPath(p.File) ? Replacing(t) : null;
            return new TemplateValidateResult { Diagnostics = [.. problems.Select(TemplateDtos.Diagnostic), .. Diagnostics(replacing)], Id = id };
        });
        // Provenance (spawnedBy) is the runner's to set, never a client's.
        router.Add(Contract.CodexCreate, p => codex.Create(p with { SpawnedBy = null }));
        router.Add(Contract.CodexGet, p => codex.Get(p.Id));
        router.Add(Contract.CodexSlug, p => Slug(p));
        // A caller's change: the fields a record's feature alone writes are refused, or checked as its own request
        // checks them (IRecordKind.CheckCallerChangeAsync).
        router.Add(Contract.CodexUpdate, (p, ct) => codex.UpdateAsync(p, ct));
        router.Add(Contract.CodexDelete, p =>
        {
            codex.Delete(p.Id);
            return new DeletedResult { Deleted = true };
        });
        // A page of records is a quick read of the local store: answered on the reading loop (RequestRouter.AddOnReader).
        router.AddOnReader(Contract.CodexList, List);
        router.Add(Contract.CodexHistory, p => codex.History(p.Id));
        router.Add(Contract.CodexUndo, p => new UndoResult { Record = codex.Undo(p.Id) });
        router.Add(Contract.CodexResolve, p => Resolve(p.Ref));
        router.Add(Contract.PromptsList, _ => prompts.List());
        router.Add(Contract.PromptsGet, p => prompts.Get(p.Ref));

        codex.Changed += change => _ = peer.NotifyAsync(Contract.CodexChanged, change).AsTask();
        templates.Changed += set => _ = peer.NotifyAsync(Contract.TemplatesChanged,
            new TemplatesChangedParams { Ids = [.. set.Templates.Keys.Order(StringComparer.Ordinal)] }).AsTask();
    }

    private IReadOnlyList<TemplateSummary> TemplateList()
    {
        var set = templates.Current;
        return [.. set.Files.Select(f =>
        {
            var summary = TemplateDtos.Summary(f, set);
            var usable = summary.Usable ? set.Templates.GetValueOrDefault(f.Id) : null;
            summary = summary with { Kind = usable is null ? null : kinds.For(usable)?.TemplateId };
            var replacing = usable is { } t ? Replacing(t) : null;
            return replacing is null ? summary : summary with { Problems = [.. summary.Problems, replacing.ToString()], Diagnostics = [.. summary.Diagnostics, .. Diagnostics(replacing)] };
        })];
    }

    /// <summary>
    /// A template of the user's that takes the place of a shipped one of the same id is never a silent replacement:
    /// a warning says so, what it takes away, and the way back.
    /// </summary>
    private TemplateProblem? Replacing(TemplateDefinition template)
    {
        if (template.Source == "shipped" || !templates.Current.Files.Any(f => f.Id == template.Id && f.Source == "shipped")) return null;
        var lost = kinds.For(template)?.LostByReplacing(template);
        return new TemplateProblem(template.FilePath, 1, 1,
            $"replaces the shipped {template.Id}{(lost is null ? "" : $": {lost}")}. To have the shipped template back, give this one another id or delete the file.",
            IsWarning: true);
    }

    private static IEnumerable<TemplateDiagnostic> Diagnostics(TemplateProblem? problem) => problem is null ? [] : [TemplateDtos.Diagnostic(problem)];

    private CodexSlugResult Slug(CodexSlugParams request)
    {
        var template = templates.Find(request.TemplateId) ?? throw PlueErrors.NotFound($"No template has id '{request.TemplateId}'");
        var slug = codex.SuggestSlug(template.Id, request.Title);
        return new CodexSlugResult { Slug = slug, Ref = $"codex://{template.Collection}/{slug}" };
    }

    private TemplateDetail Template(string id)
    {
        if (templates.Find(id) is { } template)
        {
            return TemplateDtos.Detail(template) with { Kind = kinds.For(template)?.TemplateId };
        }
        var broken = templates.Current.Files.FirstOrDefault(f => f.Id == id && f.Problems.Count > 0);
        throw broken is null
            ? PlueErrors.NotFound($"No template has id '{id}'")
            : RpcException.InvalidParams($"Template '{id}' cannot be used: {broken.Problems[0]}");
    }

    private CodexListResult List(CodexListParams request)
    {
        var sort = request.Sort switch
        {
            null or "updatedDesc" => CodexSort.UpdatedDesc,
            "updatedAsc" => CodexSort.UpdatedAsc,
            "createdDesc" => CodexSort.CreatedDesc,
            "createdAsc" => CodexSort.CreatedAsc,
            "titleAsc" => CodexSort.TitleAsc,
            _ => throw RpcException.InvalidParams($"sort '{request.Sort}' is not one of updatedDesc, updatedAsc, createdDesc, createdAsc, titleAsc"),
        };
        var page = codex.List(new CodexQuery
        {
            TemplateIds = request.TemplateId is { } t ? [t] : null,
            Tags = request.Tags,
            SpawnedBy = request.SpawnedBy,
            ParentId = request.ParentId,
            Status = request.Status,
            Sort = sort,
            Limit = request.Limit ?? 50,
            Cursor = request.Cursor,
        });
        return new CodexListResult { Items = page.Items, NextCursor = page.NextCursor };
    }

    /// <summary>A codex:// reference to its record or prompt.</summary>
    private ResolveResult Resolve(string reference)
    {
        if (!CodexReference.TryParse(reference, out var parsed, out var error)) throw RpcException.InvalidParams(error);
        return parsed.IsPrompt
            ? new ResolveResult { Kind = "prompt", Prompt = prompts.Get(reference) }
            : new ResolveResult { Kind = "record", Record = codex.Resolve(parsed) };
    }
}
