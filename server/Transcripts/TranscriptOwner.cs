using Plue.Processes;

namespace Plue.Transcripts;

/// <summary>
/// Who owns something still running (a streaming message, a task's run): this sidecar's <see cref="SidecarOwner"/> id,
/// so a later start can tell a dead owner from a live one in another window by the owner's lock under the home.
/// </summary>
public static class TranscriptOwner
{
    public static string Current => SidecarOwner.Id;

    /// <summary>Whether the owner's sidecar still runs; only an owner proven dead is not.</summary>
    public static bool IsAlive(string owner, string home) => SidecarOwner.IsAlive(owner, home);
}
