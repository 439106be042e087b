namespace Plue.Workspace;

/// <summary>An instructions file found in the workspace: its path as the user knows it (folder-relative, '/'), and its text.</summary>
public sealed record InstructionsFile(string Path, string Text);
