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

    /// <summary>An open object or array.</summary>
    private struct Frame
    {
        public JsonObject? Object;
        public JsonArray? Array;
        public int Entry;
        public string? PendingKey;

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
        private Json5Entry[] _entries = new Json5Entry[16];
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
                            Push(container, AddEntry(start, container));
                            _pos++;
                            state = c == '{' ? State.ObjectMember : State.ArrayElement;
                        }
                        else
                        {
                            JsonNode? scalar = ReadScalar();
                            Attach(scalar, AddEntry(start, scalar), ref root);
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
                            Pop(ref root);
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
                            Pop(ref root);
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
                            return new Json5Document(root, () => new Json5PositionMap(_text, _entries, _entryCount));
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
                            Pop(ref root);
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

        private void Push(JsonNode container, int entry)
        {
            if (_depth == _frames.Length)
                Array.Resize(ref _frames, _frames.Length * 2);
            _frames[_depth++] = new Frame
            {
                Object = container as JsonObject,
                Array = container as JsonArray,
                Entry = entry,
            };
        }

        /// <summary>
        /// Closes the innermost container and only now adds it to its parent. Adding a node makes
        /// System.Text.Json walk the new parent's ancestors (cycle check); while a container is
        /// open it has no parent yet, so that walk is O(1) instead of O(depth) per value.
        /// </summary>
        private void Pop(ref JsonNode? root)
        {
            Frame closed = _frames[--_depth];
            _frames[_depth] = default; // let the GC see only the tree
            Attach((JsonNode?)closed.Object ?? closed.Array, closed.Entry, ref root);
        }

        /// <summary>Adds a finished value to the open container, or makes it the root.</summary>
        private void Attach(JsonNode? node, int entry, ref JsonNode? root)
        {
            if (_depth == 0)
            {
                root = node;
                return;
            }

            ref Frame frame = ref _frames[_depth - 1];
            if (frame.Array is { } array)
            {
                array.Add(node);
                return;
            }

            string key = _entries[entry].Key!;
            if (!frame.Object!.TryAdd(key, node))
            {
                // Duplicate key: last one wins, as with JSON.parse and the reference JSON5.parse.
                frame.KeyEntries ??= CollectKeyEntries(frame.Entry, entry);
                _entries[frame.KeyEntries[key]].Dead = true;
                frame.Object[key] = node;
            }
            frame.KeyEntries?[key] = entry;
        }

        /// <summary>Member name -> entry for the members of <paramref name="parent"/> recorded before <paramref name="before"/>.</summary>
        private Dictionary<string, int> CollectKeyEntries(int parent, int before)
        {
            var map = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = parent + 1; i < before; i++)
            {
                if (_entries[i].Parent == parent)
                    map[_entries[i].Key!] = i;
            }
            return map;
        }

        /// <summary>Records where a value starts, in document order (parents before children).</summary>
        private int AddEntry(int offset, JsonNode? node)
        {
            if (_entryCount == _entries.Length)
                Array.Resize(ref _entries, _entries.Length * 2);
            bool nested = _depth > 0;
            _entries[_entryCount] = new Json5Entry
            {
                Offset = offset,
                Parent = nested ? _frames[_depth - 1].Entry : -1,
                Key = nested && _frames[_depth - 1].Object is not null ? _frames[_depth - 1].PendingKey : null,
                Kind = node switch { JsonObject => Json5EntryKind.Object, JsonArray => Json5EntryKind.Array, _ => Json5EntryKind.Scalar },
            };
            return _entryCount++;
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
                Json5Position open = new Json5LineCounter(_text).Advance(_entries[frame.Entry].Offset);
                detail = $"'{(frame.Object is not null ? '{' : '[')}' at {open} is not closed";
            }
            return Error("unexpected end of input", _text.Length, detail);
        }

        private Json5Exception Error(string reason, int offset, string? detail = null)
        {
            Json5Position position = new Json5LineCounter(_text).Advance(offset);
            return new Json5Exception(reason, position.Line, position.Column, detail);
        }
    }
}
