namespace Plue.Checkpoints;

/// <summary>The checkpoint store could not do what was asked; the message says why and what to do.</summary>
public sealed class CheckpointException(string message) : Exception(message);
