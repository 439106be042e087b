using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>What mends a failed test.</summary>
public enum InstanceFix
{
    /// <summary>The key is missing, wrong or revoked (401/403): set another.</summary>
    [JsonStringEnumMemberName("key")] Key,
    /// <summary>The endpoint cannot be reached or is not that kind of server (refused, DNS, timeout, 404), or the CLI is missing: edit the instance.</summary>
    [JsonStringEnumMemberName("settings")] Settings,
    /// <summary>The claude CLI is not logged in: run <c>claude login</c>.</summary>
    [JsonStringEnumMemberName("login")] Login,
    /// <summary>The instance is disabled.</summary>
    [JsonStringEnumMemberName("enable")] Enable,
}
