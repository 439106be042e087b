namespace Plue.ContractGen;

/// <summary>One output of the generator: its path from the repository's root (with <c>/</c>) and its text.</summary>
public sealed record GeneratedFile(string Path, string Content);
