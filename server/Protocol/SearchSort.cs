using System.Text.Json.Serialization;

namespace Plue.Protocol;

/// <summary>The order of search results.</summary>
public enum SearchSort
{
    [JsonStringEnumMemberName("relevance")] Relevance,
    [JsonStringEnumMemberName("newest")] Newest,
    [JsonStringEnumMemberName("oldest")] Oldest,
}
