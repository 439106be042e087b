using System.Text;

namespace Plue.Agents.Tools.Shell;

/// <summary>
/// A command's output kept within a size: the first and the last half of the cap, with what was dropped between
/// them counted. The start says what ran, the end how it ended; the middle is what a model can best do without.
/// </summary>
public sealed class CappedOutput(int maxChars)
{
    private readonly StringBuilder _head = new();
    private readonly StringBuilder _tail = new();
    private readonly int _half = maxChars / 2;
    private readonly Lock _lock = new();
    private long _total;

    public void Append(ReadOnlySpan<char> text)
    {
        lock (_lock)
        {
            _total += text.Length;
            var toHead = Math.Min(text.Length, _half - _head.Length);
            if (toHead > 0)
            {
                _head.Append(text[..toHead]);
                text = text[toHead..];
            }
            if (text.IsEmpty) return;
            _tail.Append(text);
            // Trimmed in batches: removing from the front on every write would be quadratic.
            if (_tail.Length > 2 * _half) _tail.Remove(0, _tail.Length - _half);
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            var tail = _tail.Length > _half ? _tail.ToString(_tail.Length - _half, _half) : _tail.ToString();
            var omitted = _total - _head.Length - tail.Length;
            return omitted <= 0
                ? _head.ToString() + tail
                : $"{_head}\n[… {omitted} characters of output omitted; the first and last {_half} are shown …]\n{tail}";
        }
    }
}
