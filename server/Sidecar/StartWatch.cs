using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary>
/// The start as seen on the peer, at its hooks: where a notification is written
/// (<see cref="JsonRpcPeerOptions.NotificationWritten"/>), where a request is answered
/// (<see cref="JsonRpcPeerOptions.RequestAnswered"/>) and where the router makes a feature's handlers: the first of
/// each is a step of the start (PLUE_TIMINGS), and the first streamed delta ends the start's hold on the heap
/// (<see cref="StartGc"/>). The domain writes notifications and answers and knows nothing of either.
/// </summary>
public static class StartWatch
{
    public static void RequestAnswered(string method)
    {
        if (StartTimings.On) StartTimings.Mark($"{method} answered");
    }

    public static void TableMade(string table)
    {
        if (StartTimings.On) StartTimings.Mark($"{table} made");
    }

    public static void NotificationWritten(string method)
    {
        if (StartTimings.On) StartTimings.Mark($"{method} sent");
        // The first answer is streaming: the heap may be collected again.
        if (method == Contract.SessionPartDelta.Name) StartGc.DeltaWritten();
    }
}
