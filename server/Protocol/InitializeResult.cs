namespace Plue.Protocol;

public sealed record InitializeResult
{
    public required ServerCapabilities Capabilities { get; init; }
    public required ServerInfo ServerInfo { get; init; }
}
