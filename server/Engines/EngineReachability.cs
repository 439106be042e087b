using Plue.Codex.Records;
using Plue.Protocol;

namespace Plue.Engines;

/// <summary>
/// Whether each Docker engine record answers now: <c>engines/test</c>'s version probe without its mount check, each
/// bounded by <see cref="AnswerTime"/> and asked at once, for the status bar and <c>plue status</c>.
/// </summary>
public sealed class EngineReachability(EngineService engines, CodexService codex)
{
    /// <summary>How long an engine may take to answer here: status is read in passing, so a far host is not waited for.</summary>
    public static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(5);

    public async Task<EnginesReachResult> ReachAllAsync(CancellationToken cancellationToken)
    {
        var records = codex.List(new CodexQuery { TemplateIds = [EngineRecordFields.TemplateId], Sort = CodexSort.TitleAsc, Limit = 500 }).Items;
        var reached = await Task.WhenAll(records.Select(r => ReachAsync(r, cancellationToken))).ConfigureAwait(false);
        return new EnginesReachResult { Engines = reached };
    }

    private async Task<EngineReachInfo> ReachAsync(CodexRecord record, CancellationToken cancellationToken)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        within.CancelAfter(AnswerTime);
        try
        {
            using var client = await engines.ConnectAsync(record, within.Token).ConfigureAwait(false);
            return new EngineReachInfo { Engine = record.Title, EngineId = record.Id, Ok = true, Version = client.Version.Version, ApiVersion = client.Version.ApiVersion };
        }
        catch (EngineException e)
        {
            return new EngineReachInfo { Engine = record.Title, EngineId = record.Id, Ok = false, Error = e.Message, Fix = EngineService.FixName(e.Fix) };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new EngineReachInfo
            {
                Engine = record.Title, EngineId = record.Id, Ok = false, Fix = EngineService.FixName(EngineFix.StartEngine),
                Error = $"{record.Title} did not answer within {AnswerTime.TotalSeconds:0} s: check that it runs and that its host reaches it.",
            };
        }
    }
}
