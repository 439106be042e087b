using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sidecar;

/// <summary>
/// The start as seen on the peer, at the one hook where a notification is written
/// (<see cref="JsonRpcPeerOptions.NotificationWritten"/>): the first of each is a step of the start (PLUE_TIMINGS), and
/// the first streamed delta ends the start's hold on the heap (<see cref="StartGc"/>). The domain writes notifications
/// and knows nothing of either.
/// </summary>
public static class StartWatch
{
    public static void NotificationWritten(string method)
    {
        if (StartTimings.On) StartTimings.Mark($"{method} sent");
        // The first answer is streaming: the heap may be collected again.
        if (method == Contract.SessionPartDelta.Name) StartGc.DeltaWritten();
    }
}
