using System.IO.Pipelines;
using Plue.Rpc;
using Plue.Sidecar;
using Plue.Tests.Rpc;

namespace Plue.Tests.Sidecar;

/// <summary>
/// The idle trim compacts the heap once the sidecar is idle: not while work runs with no request in flight (an agent
/// task streaming after <c>task/start</c> answered), and then once that work ends, with no request to arm it again.
/// </summary>
public sealed class IdleTrimTests : IDisposable
{
    private static readonly TimeSpan s_delay = TimeSpan.FromMilliseconds(50);
    private readonly Pipe _input = new();
    private readonly JsonRpcPeer _peer;

    public IdleTrimTests() =>
        _peer = new JsonRpcPeer(_input.Reader.AsStream(), Stream.Null, new RequestRouter(), TestLog.For<JsonRpcPeer>());

    [Fact]
    public async Task WhileATaskRuns_NothingIsTrimmed_ThenItsEndIsTrimmedWithNoRequest()
    {
        var working = true;
        using var trim = new IdleTrim(_peer, s_delay) { Working = () => working };
        trim.Arm();

        await Task.Delay(s_delay * 6);
        Assert.Equal(0, trim.Trims);

        working = false;
        await WaitForAsync(() => trim.Trims == 1);
        await Task.Delay(s_delay * 4);
        Assert.Equal(1, trim.Trims);
    }

    [Fact]
    public async Task IdleWithNoWork_TrimsOnce()
    {
        using var trim = new IdleTrim(_peer, s_delay);
        trim.Arm();

        await WaitForAsync(() => trim.Trims == 1);
        await Task.Delay(s_delay * 4);
        Assert.Equal(1, trim.Trims);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += s_delay)
        {
            if (waited > TimeSpan.FromSeconds(10)) Assert.Fail("the trim did not come");
            await Task.Delay(s_delay);
        }
    }

    public void Dispose() => _input.Writer.Complete();
}
