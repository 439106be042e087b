namespace Plue.Transcripts;

/// <summary>Ids of messages and parts: version 7 GUIDs, so they sort by creation.</summary>
public static class TranscriptIds
{
    public static string New() => Guid.CreateVersion7().ToString();
}
