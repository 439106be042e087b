using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Agents.Containers;

/// <summary>A terminal in a task's container (<see cref="TaskTerminals"/>): the engines area's terminal methods.</summary>
public sealed class TerminalEndpoints(TaskTerminals terminals) : IEndpoints
{
    public void Map(RequestRouter router)
    {
        router.Add(Contract.EnginesOpenTerminal, (p, ct) => terminals.OpenAsync(p, ct));
        router.Add(Contract.EnginesWriteTerminal, (p, ct) => terminals.WriteAsync(p, ct));
        router.Add(Contract.EnginesResizeTerminal, (p, ct) => terminals.ResizeAsync(p, ct));
        router.Add(Contract.EnginesCloseTerminal, (p, ct) => terminals.CloseAsync(p, ct));
    }
}
