using System.Text;

namespace Plue.Agents.Tools.Shell;

/// <summary>
/// A command's output kept within a size: the first and the last half of the cap, with what was dropped between
/// them counted. The start says what ran, the end how it ended; the middle is what a model can best do without.
/// With a <c>margin</c>, each half keeps that many characters more beyond its cut, so a scrubber given to
/// <see cref="ToString(Func{string, string})"/> sees whole any secret (up to the margin long) that the cut would split
/// and replace it before the cut is made: half a credential never shows.
/// </summary>
public sealed class CappedOutput(int maxChars, int margin = 0)
{
    private readonly StringBuilder _head = new();
    private readonly StringBuilder _tail = new();
    private readonly int _half = maxChars / 2;
    private readonly int _kept = maxChars / 2 + margin;
    private readonly Lock _lock = new();
    private long _total;

    public void Append(ReadOnlySpan<char> text)
    {
        lock (_lock)
        {
            _total += text.Length;
            var toHead = Math.Min(text.Length, _kept - _head.Length);
            if (toHead > 0)
            {
                _head.Append(text[..toHead]);
                text = text[toHead..];
            }
            if (text.IsEmpty) return;
            _tail.Append(text);
            // Trimmed in batches: removing from the front on every write would be quadratic.
            if (_tail.Length > 2 * _kept) _tail.Remove(0, _tail.Length - _kept);
        }
    }

    public override string ToString() => ToString(text => text);

    /// <summary>The output as kept, <paramref name="scrub"/> applied to each part before it is cut to its half.</summary>
    public string ToString(Func<string, string> scrub)
    {
        lock (_lock)
        {
            if (_total <= 2 * _half) return scrub(_head.ToString() + _tail.ToString());
            var keptTail = _tail.Length > _kept ? _tail.ToString(_tail.Length - _kept, _kept) : _tail.ToString();
            var head = scrub(_head.ToString());
            var tail = scrub(keptTail);
            var shownHead = Math.Min(_half, _head.Length);
            var shownTail = Math.Min(_half, keptTail.Length);
            var omitted = _total - shownHead - shownTail;
            return $"{head[..Math.Min(_half, head.Length)]}\n[… {omitted} characters of output omitted; the first and last {_half} are shown …]\n{tail[Math.Max(0, tail.Length - _half)..]}";
        }
    }
}
