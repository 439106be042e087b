using System.Buffers.Binary;
using System.Text;

namespace Plue.Bench;

/// <summary>
/// The sizes of a native executable's sections, read from its ELF section headers: what a Native AOT start has to touch
/// (<c>.hydrated</c>, the type data expanded at start into zero-filled pages) and map (<c>__managedcode</c>, <c>.rodata</c>).
/// </summary>
internal static class ElfSections
{
    public static readonly string[] Watched = [".hydrated", "__managedcode", ".rodata"];

    /// <summary>Each section's size in bytes by name; empty for a file that is not a 64-bit little-endian ELF (a dll, an apphost elsewhere).</summary>
    public static Dictionary<string, long> Sizes(string path)
    {
        var sizes = new Dictionary<string, long>();
        var file = File.ReadAllBytes(path);
        if (file.Length < 64 || !file.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) || file[4] != 2 || file[5] != 1)
            return sizes;
        var headers = (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(0x28));
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3A));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3C));
        var names = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3E));
        Span<byte> Header(int i) => file.AsSpan(headers + i * entrySize, entrySize);
        var nameTable = (int)BinaryPrimitives.ReadUInt64LittleEndian(Header(names)[0x18..]);
        for (var i = 0; i < count; i++)
        {
            var header = Header(i);
            var nameStart = nameTable + (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
            var name = Encoding.ASCII.GetString(file, nameStart, file.AsSpan(nameStart).IndexOf((byte)0));
            sizes[name] = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]);
        }
        return sizes;
    }

    /// <summary>One line for the report: the watched sections and the whole file, in MiB.</summary>
    public static string Describe(string path)
    {
        var sizes = Sizes(path);
        var file = new FileInfo(path).Length / 1048576.0;
        if (sizes.Count == 0) return $"executable {file:F1} MiB, not ELF";
        return string.Join(", ", Watched.Select(s => $"{s} {(sizes.TryGetValue(s, out var b) ? $"{b / 1048576.0:F1} MiB" : "none")}")) + $", executable {file:F1} MiB";
    }
}
