using System.Globalization;
using System.Text.Json.Nodes;

namespace Plue.Tests.Codex.Json5;

internal static class PointerAssert
{
    /// <summary>RFC 6901 pointers of every value in the tree (recursive; test inputs are shallow).</summary>
    public static List<string> AllPointers(JsonNode? root)
    {
        var result = new List<string>();
        Walk(root, "", result);
        return result;
    }

    private static void Walk(JsonNode? node, string pointer, List<string> result)
    {
        result.Add(pointer);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                    Walk(value, $"{pointer}/{key.Replace("~", "~0").Replace("/", "~1")}", result);
                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                    Walk(array[i], $"{pointer}/{i.ToString(CultureInfo.InvariantCulture)}", result);
                break;
        }
    }
}
