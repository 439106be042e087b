using System.Text.Json.Serialization.Metadata;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Codex.Handlers;

/// <summary><c>templates/get</c>.</summary>
public sealed class GetTemplateHandler(TemplateRegistry registry) : RequestHandler<IdParams, TemplateDetail>
{
    public override string Method => Methods.TemplatesGet;
    protected override JsonTypeInfo<IdParams> ParamsType => PlueJsonContext.Default.IdParams;
    protected override JsonTypeInfo<TemplateDetail> ResultType => PlueJsonContext.Default.TemplateDetail;

    public override ValueTask<TemplateDetail> HandleAsync(IdParams request, RequestContext context, CancellationToken cancellationToken)
    {
        if (registry.Find(request.Id) is { } template) return ValueTask.FromResult(TemplateDtos.Detail(template));
        var broken = registry.Current.Files.FirstOrDefault(f => f.Id == request.Id && f.Problems.Count > 0);
        throw broken is null
            ? RpcException.NotFound($"No template has id '{request.Id}'")
            : RpcException.InvalidParams($"Template '{request.Id}' cannot be used: {broken.Problems[0]}");
    }
}
