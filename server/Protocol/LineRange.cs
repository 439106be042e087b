namespace Plue.Protocol;

public sealed record LineRange(int StartLine, int EndLine);
