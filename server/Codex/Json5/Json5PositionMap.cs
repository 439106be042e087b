using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Plue.Codex.Json5;

/// <summary>
/// JSON Pointer -> position, answered from the parser's entry table instead of a string-keyed
/// dictionary. Materialising every pointer costs O(depth x path length): a 200,000-deep array
/// would need ~40 GB of pointer strings. Lookups walk the pointer instead (O(depth), with a hash
/// per large object), and enumeration builds each pointer only when it is yielded.
/// </summary>
internal sealed class Json5PositionMap : IReadOnlyDictionary<string, Json5Position>
{
    private const int IndexedObjectSize = 8;

    private readonly Json5Entry[] _entries;
    private readonly int _entryCount;
    private readonly Json5Position[] _positions;
    private readonly bool[] _alive;
    private readonly int[] _childStart; // children of entry i: _children[_childStart[i] .. _childStart[i + 1])
    private readonly int[] _children;
    private readonly Dictionary<int, Dictionary<string, int>> _memberIndexes = [];
    private readonly Lock _memberIndexesLock = new();

    public Json5PositionMap(string text, Json5Entry[] entries, int entryCount)
    {
        _entries = entries;
        _entryCount = entryCount;
        _positions = new Json5Position[entryCount];
        _alive = new bool[entryCount];
        _childStart = new int[entryCount + 1];
        _children = new int[Math.Max(entryCount - 1, 0)];

        // Entries are in document order (parents before children, offsets increasing), so one
        // forward pass settles positions and liveness, and a counting sort groups children.
        var lines = new Json5LineCounter(text);
        for (int i = 0; i < entryCount; i++)
        {
            ref Json5Entry entry = ref entries[i];
            _positions[i] = lines.Advance(entry.Offset);
            _alive[i] = !entry.Dead && (entry.Parent < 0 || _alive[entry.Parent]);
            if (_alive[i])
                Count++;
            if (entry.Parent >= 0)
                _childStart[entry.Parent + 1]++;
        }
        for (int i = 0; i < entryCount; i++)
            _childStart[i + 1] += _childStart[i];
        var fill = new int[entryCount];
        for (int i = 1; i < entryCount; i++)
        {
            int parent = entries[i].Parent;
            _children[_childStart[parent] + fill[parent]++] = i;
        }
    }

    public int Count { get; }

    public IEnumerable<string> Keys => this.Select(pair => pair.Key);

    public IEnumerable<Json5Position> Values => this.Select(pair => pair.Value);

    public Json5Position this[string key] =>
        TryGetValue(key, out var position) ? position : throw new KeyNotFoundException($"no value at JSON pointer '{key}'");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Json5Position value)
    {
        ArgumentNullException.ThrowIfNull(key);
        value = default;
        if (_entryCount == 0 || (key.Length > 0 && key[0] != '/'))
            return false;

        int current = 0;
        int at = 0;
        while (at < key.Length)
        {
            int end = key.IndexOf('/', at + 1);
            if (end < 0)
                end = key.Length;
            if (!TryDecodeToken(key.AsSpan(at + 1, end - at - 1), out string? token))
                return false;
            int child = FindChild(current, token);
            if (child < 0)
                return false;
            current = child;
            at = end;
        }

        value = _positions[current];
        return true;
    }

    public IEnumerator<KeyValuePair<string, Json5Position>> GetEnumerator()
    {
        // Depth-first in document order with one shared path buffer; each pointer string is only
        // allocated as it is yielded.
        var path = new StringBuilder();
        var pathLengths = new int[Math.Max(_entryCount, 1)];
        for (int i = 0; i < _entryCount; i++)
        {
            if (!_alive[i])
                continue;
            ref Json5Entry entry = ref _entries[i];
            if (entry.Parent >= 0)
            {
                path.Length = pathLengths[entry.Parent];
                path.Append('/');
                if (_entries[entry.Parent].Kind == Json5EntryKind.Array)
                    path.Append(IndexInParent(i).ToString(CultureInfo.InvariantCulture));
                else
                    path.Append(entry.Key!.Replace("~", "~0").Replace("/", "~1"));
            }
            pathLengths[i] = path.Length;
            yield return new KeyValuePair<string, Json5Position>(path.ToString(), _positions[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexInParent(int entry)
    {
        int parent = _entries[entry].Parent;
        return Array.BinarySearch(_children, _childStart[parent], _childStart[parent + 1] - _childStart[parent], entry) - _childStart[parent];
    }

    private int FindChild(int parent, string token)
    {
        int start = _childStart[parent];
        int count = _childStart[parent + 1] - start;
        switch (_entries[parent].Kind)
        {
            case Json5EntryKind.Array:
                // RFC 6901 array index: "0" or digits without a leading zero.
                if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
                    return -1;
                return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < count
                    ? _children[start + index]
                    : -1;

            case Json5EntryKind.Object:
                if (count > IndexedObjectSize)
                    return MemberIndex(parent, start, count).GetValueOrDefault(token, -1);
                for (int i = start; i < start + count; i++)
                {
                    int child = _children[i];
                    if (_alive[child] && _entries[child].Key == token)
                        return child;
                }
                return -1;

            default:
                return -1;
        }
    }

    private Dictionary<string, int> MemberIndex(int parent, int start, int count)
    {
        lock (_memberIndexesLock)
        {
            if (!_memberIndexes.TryGetValue(parent, out var index))
            {
                index = new Dictionary<string, int>(count, StringComparer.Ordinal);
                for (int i = start; i < start + count; i++)
                {
                    int child = _children[i];
                    if (_alive[child])
                        index[_entries[child].Key!] = child;
                }
                _memberIndexes[parent] = index;
            }
            return index;
        }
    }

    /// <summary>RFC 6901 unescaping: "~1" is '/', "~0" is '~', any other '~' makes the pointer invalid.</summary>
    private static bool TryDecodeToken(ReadOnlySpan<char> raw, [NotNullWhen(true)] out string? token)
    {
        if (raw.IndexOf('~') < 0)
        {
            token = raw.ToString();
            return true;
        }
        var builder = new StringBuilder(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '~')
            {
                builder.Append(raw[i]);
                continue;
            }
            if (i + 1 >= raw.Length || raw[i + 1] is not ('0' or '1'))
            {
                token = null;
                return false;
            }
            builder.Append(raw[++i] == '0' ? '~' : '/');
        }
        token = builder.ToString();
        return true;
    }
}
