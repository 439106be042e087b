namespace Plue.Agents.Tools.Files;

/// <summary>One search: a regular expression over the files below <see cref="Roots"/> (real paths inside the workspace).</summary>
public sealed record SearchRequest(string Pattern, bool IgnoreCase, string? Glob, IReadOnlyList<string> Roots, int MaxMatches);

/// <summary>One matching line; <see cref="Path"/> is a real path.</summary>
public sealed record SearchMatch(string Path, int Line, string Text);

/// <summary>The matches found, whether more were left out, and anything the searcher wants the model to know.</summary>
public sealed record SearchOutcome(IReadOnlyList<SearchMatch> Matches, bool Truncated, string? Note = null);
