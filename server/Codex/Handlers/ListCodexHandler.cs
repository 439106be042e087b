using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>codex/list</c>.</summary>
public sealed class ListCodexHandler(CodexService codex) : RequestHandler<CodexListParams, CodexListResult>
{
    public override string Method => Methods.CodexList;
    protected override JsonTypeInfo<CodexListParams> ParamsType => PlueJsonContext.Default.CodexListParams;
    protected override JsonTypeInfo<CodexListResult> ResultType => PlueJsonContext.Default.CodexListResult;

    public override ValueTask<CodexListResult> HandleAsync(CodexListParams request, RequestContext context, CancellationToken cancellationToken)
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
        return ValueTask.FromResult(new CodexListResult { Items = page.Items, NextCursor = page.NextCursor });
    }
}
