using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace Plue.Codex.Json5;

/// <summary>
/// JSON5 (spec.json5.org 1.0.0) parser producing System.Text.Json nodes, with values matching the
/// reference <c>json5</c> npm package: every number is a double, duplicate keys keep the last value.
/// </summary>
/// <remarks>
/// The parser is a loop over an explicit stack rather than recursive descent, so no input depth can
/// overflow the thread stack; <see cref="Json5Options.MaxDepth"/> is purely a policy limit.
/// Only <see cref="Json5Exception"/> escapes for malformed input.
/// </remarks>
public static class Json5Parser
{
    public static Json5Document Parse(string text, Json5Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= Json5Options.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDepth, 1, nameof(options));
        return new Parser(text, options.MaxDepth).Run();
    }

    private enum State
    {
        Value,
        ObjectMember, // after '{' or ','
        ArrayElement, // after '[' or ','
        AfterValue,
    }

    /// <summary>One parsed value; Positions are resolved from these once parsing is done.</summary>
    private struct Entry
    {
        public int Offset;
        public int Parent; // entry index of the container, -1 for the root
        public string? Key; // member name, or null for an array element
        public int Index; // array index when Key is null
        public bool Dead; // overwritten by a later duplicate key
    }

    /// <summary>An open object or array.</summary>
    private struct Frame
    {
        public JsonObject? Object;
        public JsonArray? Array;
        public int Entry;
        public string? PendingKey;
        public string? ParentKey; // this container's key in its parent object, once it closes

        // Member name -> entry index; only built once the object has a duplicate key, so the
        // common case pays nothing and duplicates stay O(1) each.
        public Dictionary<string, int>? KeyEntries;
    }

    private sealed class Parser(string text, int maxDepth)
    {
        // Characters that end the fast scan of a string body.
        private static readonly SearchValues<char> s_doubleQuoteStops = SearchValues.Create("\"\\\n\r");
        private static readonly SearchValues<char> s_singleQuoteStops = SearchValues.Create("'\\\n\r");
        private static readonly SearchValues<char> s_lineTerminators = SearchValues.Create("\n\r\u2028\u2029");

        private readonly string _text = text;
        private readonly int _maxDepth = maxDepth;
        private int _pos;
        private Entry[] _entries = new Entry[16];
        private int _entryCount;
        private Frame[] _frames = new Frame[8];
        private int _depth;
        private StringBuilder? _builder;

        public Json5Document Run()
        {
            JsonNode? root = null;
            var state = State.Value;
            while (true)
            {
                switch (state)
                {
                    case State.Value:
                    {
                        SkipTrivia();
                        int start = _pos;
                        if (start >= _text.Length)
                            throw EndOfInput();
                        char c = _text[start];
                        if (c is '{' or '[')
                        {
                            if (_depth >= _maxDepth)
                                throw Error($"nesting deeper than {_maxDepth}", start);
                            JsonNode container = c == '{' ? new JsonObject() : new JsonArray();
                            int entry = Register(start, out string? parentKey);
                            Push(container, entry, parentKey);
                            _pos++;
                            state = c == '{' ? State.ObjectMember : State.ArrayElement;
                        }
                        else
                        {
                            JsonNode? scalar = ReadScalar();
                            Attach(scalar, start, ref root);
                            state = State.AfterValue;
                        }
                        break;
                    }

                    case State.ObjectMember:
                    {
                        SkipTrivia();
                        if (_pos < _text.Length && _text[_pos] == '}')
                        {
                            _pos++;
                            Close(ref root);
                            state = State.AfterValue;
                            break;
                        }
                        string key = ReadKey();
                        SkipTrivia();
                        if (_pos >= _text.Length || _text[_pos] != ':')
                            throw Unexpected(_pos);
                        _pos++;
                        _frames[_depth - 1].PendingKey = key;
                        state = State.Value;
                        break;
                    }

                    case State.ArrayElement:
                        SkipTrivia();
                        if (_pos < _text.Length && _text[_pos] == ']')
                        {
                            _pos++;
                            Close(ref root);
                            state = State.AfterValue;
                            break;
                        }
                        state = State.Value;
                        break;

                    default: // State.AfterValue
                    {
                        SkipTrivia();
                        if (_depth == 0)
                        {
                            if (_pos < _text.Length)
                                throw Unexpected(_pos);
                            return new Json5Document(root, BuildPositions);
                        }
                        if (_pos >= _text.Length)
                            throw EndOfInput();
                        char c = _text[_pos];
                        bool inObject = _frames[_depth - 1].Object is not null;
                        if (c == ',')
                        {
                            _pos++;
                            state = inObject ? State.ObjectMember : State.ArrayElement;
                        }
                        else if (c == (inObject ? '}' : ']'))
                        {
                            _pos++;
                            Close(ref root);
                        }
                        else
                        {
                            throw Unexpected(_pos);
                        }
                        break;
                    }
                }
            }
        }

        // ---- structure -------------------------------------------------------------------------

        private void Push(JsonNode container, int entry, string? parentKey)
        {
            if (_depth == _frames.Length)
                Array.Resize(ref _frames, _frames.Length * 2);
            _frames[_depth++] = new Frame
            {
                Object = container as JsonObject,
                Array = container as JsonArray,
                Entry = entry,
                ParentKey = parentKey,
            };
        }

        // A container joins its parent only once it is complete: System.Text.Json walks a node's
        // ancestors on every Add, so building top-down would be quadratic in the nesting depth.
        private void Close(ref JsonNode? root)
        {
            Frame closed = _frames[--_depth];
            _frames[_depth] = default;
            JsonNode container = (JsonNode?)closed.Object ?? closed.Array!;
            if (_depth == 0)
            {
                root = container;
                return;
            }
            Insert(container, closed.Entry, closed.ParentKey);
        }

        /// <summary>Records where a value starts; returns its entry and, inside an object, its key.</summary>
        private int Register(int offset, out string? key)
        {
            int index = _entryCount;
            key = null;
            if (_depth == 0)
            {
                AddEntry(offset, -1, null, 0);
                return index;
            }
            ref Frame frame = ref _frames[_depth - 1];
            if (frame.Array is { } array)
            {
                AddEntry(offset, frame.Entry, null, array.Count);
                return index;
            }
            key = frame.PendingKey!;
            AddEntry(offset, frame.Entry, key, 0);
            return index;
        }

        /// <summary>Puts a finished value into the open container on top of the stack.</summary>
        private void Insert(JsonNode? node, int entry, string? key)
        {
            ref Frame frame = ref _frames[_depth - 1];
            if (frame.Array is { } array)
            {
                array.Add(node);
                return;
            }
            if (!frame.Object!.TryAdd(key!, node))
            {
                // Duplicate key: last one wins, as with JSON.parse and the reference JSON5.parse.
                frame.KeyEntries ??= CollectKeyEntries(frame.Entry, entry);
                _entries[frame.KeyEntries[key!]].Dead = true;
                frame.Object[key!] = node;
            }
            frame.KeyEntries?[key!] = entry;
        }

        /// <summary>Adds a value to the open container (or makes it the root) and records its entry.</summary>
        private void Attach(JsonNode? node, int offset, ref JsonNode? root)
        {
            int entry = Register(offset, out string? key);
            if (_depth == 0)
                root = node;
            else
                Insert(node, entry, key);
        }

        // The value being inserted is registered already (a container at its start), so it is left out.
        private Dictionary<string, int> CollectKeyEntries(int parent, int inserting)
        {
            var map = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = parent + 1; i < _entryCount; i++)
            {
                if (_entries[i].Parent == parent && i != inserting && !_entries[i].Dead)
                    map[_entries[i].Key!] = i;
            }
            return map;
        }

        private void AddEntry(int offset, int parent, string? key, int index)
        {
            if (_entryCount == _entries.Length)
                Array.Resize(ref _entries, _entries.Length * 2);
            _entries[_entryCount++] = new Entry { Offset = offset, Parent = parent, Key = key, Index = index };
        }

        /// <summary>
        /// Turns entries into pointer -> position. Entries are in document order, so one forward
        /// pass over the text counts lines for all of them; parents precede children, so a dead
        /// parent (overwritten duplicate) is known before its children are reached.
        /// </summary>
        private IReadOnlyDictionary<string, Json5Position> BuildPositions()
        {
            var positions = new Dictionary<string, Json5Position>(_entryCount, StringComparer.Ordinal);
            var pointers = new string?[_entryCount];
            var lines = new LineCounter(_text);
            for (int i = 0; i < _entryCount; i++)
            {
                ref Entry entry = ref _entries[i];
                Json5Position position = lines.Advance(entry.Offset);
                if (entry.Dead || (entry.Parent >= 0 && pointers[entry.Parent] is null))
                    continue;
                string pointer = entry.Parent < 0 ? "" : ChildPointer(pointers[entry.Parent]!, entry.Key, entry.Index);
                pointers[i] = pointer;
                positions[pointer] = position;
            }
            return positions;
        }

        /// <summary>parent + "/" + RFC 6901 token, in a single allocation for the common cases.</summary>
        private static string ChildPointer(string parent, string? key, int index)
        {
            if (key is null)
            {
                int digits = 1;
                for (int rest = index; rest >= 10; rest /= 10)
                    digits++;
                return string.Create(parent.Length + 1 + digits, (parent, index), static (span, state) =>
                {
                    state.parent.CopyTo(span);
                    span[state.parent.Length] = '/';
                    state.index.TryFormat(span[(state.parent.Length + 1)..], out _, provider: CultureInfo.InvariantCulture);
                });
            }
            if (key.AsSpan().IndexOfAny('~', '/') >= 0)
                key = key.Replace("~", "~0").Replace("/", "~1");
            return string.Concat(parent, "/", key);
        }

        // ---- trivia ----------------------------------------------------------------------------

        private void SkipTrivia()
        {
            string text = _text;
            while (_pos < text.Length)
            {
                char c = text[_pos];
                if (c == '/')
                {
                    if (_pos + 1 >= text.Length)
                        throw EndOfInput();
                    char next = text[_pos + 1];
                    if (next == '/')
                    {
                        int end = text.AsSpan(_pos + 2).IndexOfAny(s_lineTerminators);
                        _pos = end < 0 ? text.Length : _pos + 2 + end;
                    }
                    else if (next == '*')
                    {
                        int end = text.AsSpan(_pos + 2).IndexOf("*/", StringComparison.Ordinal);
                        if (end < 0)
                            throw Error("unterminated block comment", _pos);
                        _pos += 2 + end + 2;
                    }
                    else
                    {
                        throw Unexpected(_pos + 1);
                    }
                }
                else if (Json5Chars.IsWhiteSpace(c))
                {
                    _pos++;
                }
                else
                {
                    return;
                }
            }
        }

        // ---- scalars ---------------------------------------------------------------------------

        private JsonNode? ReadScalar()
        {
            switch (_text[_pos])
            {
                case '"':
                case '\'':
                    return JsonValue.Create(ReadString());
                case 't':
                    ExpectWord("true");
                    return JsonValue.Create(true);
                case 'f':
                    ExpectWord("false");
                    return JsonValue.Create(false);
                case 'n':
                    ExpectWord("null");
                    return null;
                case 'I' or 'N' or '+' or '-' or '.' or (>= '0' and <= '9'):
                    return JsonValue.Create(ReadNumber());
                default:
                    throw Unexpected(_pos);
            }
        }

        private void ExpectWord(string word)
        {
            for (int i = 0; i < word.Length; i++)
            {
                int at = _pos + i;
                if (at >= _text.Length || _text[at] != word[i])
                    throw Unexpected(at);
            }
            _pos += word.Length;
        }

        private double ReadNumber()
        {
            bool negative = false;
            char c = _text[_pos];
            if (c is '+' or '-')
            {
                negative = c == '-';
                _pos++;
                if (_pos >= _text.Length)
                    throw EndOfInput();
                c = _text[_pos];
            }

            double value;
            if (c == 'I')
            {
                ExpectWord("Infinity");
                value = double.PositiveInfinity;
            }
            else if (c == 'N')
            {
                ExpectWord("NaN");
                value = double.NaN;
            }
            else if (c == '0' && _pos + 1 < _text.Length && (_text[_pos + 1] | 0x20) == 'x')
            {
                _pos += 2;
                int start = _pos;
                while (_pos < _text.Length && Json5Chars.HexValue(_text[_pos]) >= 0)
                    _pos++;
                if (_pos == start)
                    throw Unexpected(_pos);
                value = HexToDouble(_text.AsSpan(start, _pos - start));
            }
            else
            {
                value = ReadDecimal(c);
            }
            return negative ? -value : value;
        }

        /// <summary>
        /// Validates the JSON5 decimal grammar itself (no leading zeros, '5.' and '.5' allowed,
        /// exponent needs digits) and leaves the correctly rounded conversion to double.Parse,
        /// which, like JS Number(), gives Infinity on overflow and 0 on underflow.
        /// </summary>
        private double ReadDecimal(char first)
        {
            int start = _pos;
            bool simple = true;
            if (first == '0')
            {
                // A digit after this is rejected by the caller's next token check ("noctal").
                _pos++;
            }
            else if (Json5Chars.IsDigit(first))
            {
                SkipDigits();
            }
            else if (first != '.')
            {
                throw Unexpected(_pos);
            }

            if (_pos < _text.Length && _text[_pos] == '.')
            {
                simple = false;
                bool hasInteger = _pos > start;
                _pos++;
                int fraction = _pos;
                SkipDigits();
                if (!hasInteger && _pos == fraction)
                    throw Unexpected(_pos);
            }

            if (_pos < _text.Length && (_text[_pos] | 0x20) == 'e')
            {
                simple = false;
                _pos++;
                if (_pos < _text.Length && _text[_pos] is '+' or '-')
                    _pos++;
                int digits = _pos;
                SkipDigits();
                if (_pos == digits)
                    throw Unexpected(_pos);
            }

            ReadOnlySpan<char> span = _text.AsSpan(start, _pos - start);
            if (simple && span.Length <= 15)
            {
                // Fast path: up to 15 digits are exact in a long and in a double.
                long integer = 0;
                foreach (char d in span)
                    integer = (integer * 10) + (d - '0');
                return integer;
            }
            return double.Parse(span, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        }

        private void SkipDigits()
        {
            while (_pos < _text.Length && Json5Chars.IsDigit(_text[_pos]))
                _pos++;
        }

        /// <summary>
        /// Hex digits to the nearest double (ties to even), like JS Number('0x...'): keep the top
        /// 61-64 bits, remember whether anything non-zero was cut off, round to 53 bits.
        /// </summary>
        private static double HexToDouble(ReadOnlySpan<char> digits)
        {
            ulong mantissa = 0;
            int extraBits = 0;
            bool sticky = false;
            foreach (char c in digits)
            {
                uint d = (uint)Json5Chars.HexValue(c);
                if (mantissa >> 60 == 0)
                {
                    mantissa = (mantissa << 4) | d;
                }
                else
                {
                    // Saturate: anything past ~1100 bits is Infinity anyway.
                    if (extraBits < 4096)
                        extraBits += 4;
                    sticky |= d != 0;
                }
            }

            int bits = 64 - BitOperations.LeadingZeroCount(mantissa);
            if (bits <= 53)
                return Math.ScaleB(mantissa, extraBits); // exact (extraBits is 0 here)

            int drop = bits - 53;
            ulong kept = mantissa >> drop;
            ulong rest = mantissa & ((1UL << drop) - 1);
            ulong half = 1UL << (drop - 1);
            if (rest > half || (rest == half && (sticky || (kept & 1) == 1)))
                kept++;
            return Math.ScaleB(kept, drop + extraBits);
        }

        // ---- strings and keys ------------------------------------------------------------------

        private string ReadString()
        {
            int start = _pos;
            char quote = _text[start];
            SearchValues<char> stops = quote == '"' ? s_doubleQuoteStops : s_singleQuoteStops;
            int i = start + 1;
            int run = _text.AsSpan(i).IndexOfAny(stops);
            if (run < 0)
                throw Error("unterminated string", start);
            if (_text[i + run] == quote)
            {
                // Fast path: no escapes.
                _pos = i + run + 1;
                return _text.Substring(i, run);
            }

            StringBuilder builder = RentBuilder();
            while (true)
            {
                builder.Append(_text, i, run);
                i += run;
                char c = _text[i];
                if (c == quote)
                {
                    _pos = i + 1;
                    return builder.ToString();
                }
                if (c != '\\')
                    throw Error("unterminated string", start); // raw CR or LF; must be escaped
                i = ReadEscape(i, builder, start);
                run = _text.AsSpan(i).IndexOfAny(stops);
                if (run < 0)
                    throw Error("unterminated string", start);
            }
        }

        /// <summary>Decodes the escape at <paramref name="backslash"/>; returns the offset after it.</summary>
        private int ReadEscape(int backslash, StringBuilder builder, int stringStart)
        {
            int i = backslash + 1;
            if (i >= _text.Length)
                throw Error("unterminated string", stringStart);
            char c = _text[i];
            switch (c)
            {
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'v': builder.Append('\v'); break;
                case '0':
                    // \0 is NUL only when no digit follows; \01 would be an ES5 octal escape.
                    if (i + 1 < _text.Length && Json5Chars.IsDigit(_text[i + 1]))
                        throw Unexpected(i + 1);
                    builder.Append('\0');
                    break;
                case >= '1' and <= '9':
                    throw Unexpected(i);
                case 'x':
                    builder.Append((char)ReadHex(i + 1, 2));
                    return i + 3;
                case 'u':
                    // Surrogates are appended one unit at a time, so a pair of escapes forms the
                    // real character and a lone one stays a lone UTF-16 unit, as in JS.
                    builder.Append((char)ReadHex(i + 1, 4));
                    return i + 5;
                case '\r':
                    // Line continuation; CRLF is a single line terminator.
                    return i + 1 < _text.Length && _text[i + 1] == '\n' ? i + 2 : i + 1;
                case '\n' or '\u2028' or '\u2029':
                    return i + 1;
                default:
                    // Any other character escapes to itself (\' \" \\ \/ \a ...).
                    builder.Append(c);
                    break;
            }
            return i + 1;
        }

        private int ReadHex(int start, int count)
        {
            int value = 0;
            for (int i = start; i < start + count; i++)
            {
                int d = i < _text.Length ? Json5Chars.HexValue(_text[i]) : -1;
                if (d < 0)
                    throw Unexpected(i);
                value = (value << 4) | d;
            }
            return value;
        }

        private string ReadKey()
        {
            if (_pos >= _text.Length)
                throw EndOfInput();
            return _text[_pos] is '"' or '\'' ? ReadString() : ReadIdentifier();
        }

        /// <summary>ES5 IdentifierName, including \uXXXX escapes that must themselves be identifier characters.</summary>
        private string ReadIdentifier()
        {
            int start = _pos;
            int i = start;
            StringBuilder? builder = null; // only needed once an escape appears
            while (i < _text.Length)
            {
                bool first = i == start;
                char c = _text[i];
                if (c == '\\')
                {
                    if (i + 1 >= _text.Length)
                        throw EndOfInput();
                    if (_text[i + 1] != 'u')
                        throw Unexpected(i + 1);
                    char u = (char)ReadHex(i + 2, 4);
                    if (char.IsSurrogate(u) || !(first ? Json5Chars.IsIdentifierStart(u) : Json5Chars.IsIdentifierPart(u)))
                        throw Error("invalid identifier character", i);
                    builder ??= RentBuilder().Append(_text, start, i - start);
                    builder.Append(u);
                    i += 6;
                    continue;
                }

                int codePoint = c;
                int width = 1;
                if (char.IsHighSurrogate(c) && i + 1 < _text.Length && char.IsLowSurrogate(_text[i + 1]))
                {
                    codePoint = char.ConvertToUtf32(c, _text[i + 1]);
                    width = 2;
                }
                if (!(first ? Json5Chars.IsIdentifierStart(codePoint) : Json5Chars.IsIdentifierPart(codePoint)))
                    break;
                builder?.Append(_text, i, width);
                i += width;
            }

            if (i == start)
                throw Unexpected(i);
            _pos = i;
            return builder?.ToString() ?? _text.Substring(start, i - start);
        }

        private StringBuilder RentBuilder() => (_builder ??= new StringBuilder()).Clear();

        // ---- errors ----------------------------------------------------------------------------

        private Json5Exception Unexpected(int offset) =>
            offset >= _text.Length
                ? EndOfInput()
                : Error($"invalid character '{Json5Chars.Describe(_text, offset)}'", offset);

        private Json5Exception EndOfInput()
        {
            string? detail = null;
            if (_depth > 0)
            {
                // Point at the container left open; the EOF position alone rarely helps.
                ref Frame frame = ref _frames[_depth - 1];
                Json5Position open = new LineCounter(_text).Advance(_entries[frame.Entry].Offset);
                detail = $"'{(frame.Object is not null ? '{' : '[')}' at {open} is not closed";
            }
            return Error("unexpected end of input", _text.Length, detail);
        }

        private Json5Exception Error(string reason, int offset, string? detail = null)
        {
            Json5Position position = new LineCounter(_text).Advance(offset);
            return new Json5Exception(reason, position.Line, position.Column, detail);
        }
    }

    /// <summary>
    /// Maps increasing offsets to line/column with one forward scan. LF, CRLF and lone CR end a
    /// line (as in the editor); CRLF counts once.
    /// </summary>
    private struct LineCounter(string text)
    {
        private readonly string _text = text;
        private int _scanned;
        private int _line = 1;
        private int _lineStart;

        public Json5Position Advance(int offset)
        {
            while (true)
            {
                int found = _text.AsSpan(_scanned, offset - _scanned).IndexOfAny('\r', '\n');
                if (found < 0)
                    break;
                int at = _scanned + found;
                if (_text[at] == '\r' && at + 1 < _text.Length && _text[at + 1] == '\n')
                {
                    if (at + 1 >= offset)
                    {
                        // The offset is the LF of a CRLF: it belongs to the CR's line.
                        _scanned = at;
                        return new Json5Position(_line, offset - _lineStart + 1);
                    }
                    at++;
                }
                _line++;
                _lineStart = at + 1;
                _scanned = at + 1;
            }
            _scanned = offset;
            return new Json5Position(_line, offset - _lineStart + 1);
        }
    }
}
