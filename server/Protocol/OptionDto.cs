namespace Plue.Protocol;

public sealed record OptionDto(string Value, string Label);
