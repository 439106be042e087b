using System.Text.Json;

namespace Plue.Agents.Tools;

/// <summary>A tool that can tell a call it would refuse before the user is asked to approve it (a sub-task that is not the caller's).</summary>
public interface IChecksCall
{
    /// <summary>Why the call cannot run, for the model; null when it can.</summary>
    string? Problem(JsonElement input, string taskId);
}
