namespace Plue.Protocol;

/// <summary>Params of a method that takes none.</summary>
public sealed record EmptyParams;
