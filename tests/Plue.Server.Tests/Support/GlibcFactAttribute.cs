using System.Runtime.InteropServices;

namespace Plue.Tests.Support;

/// <summary>A fact about glibc's own heap (<c>malloc_trim</c>, <c>mallopt</c>): run where the C library is glibc, skipped elsewhere (musl, macOS, Windows) saying so.</summary>
public sealed class GlibcFactAttribute : FactAttribute
{
    public GlibcFactAttribute()
    {
        if (!IsGlibc)
            Skip = "Runs where the C library is glibc only (Debian, Ubuntu, Fedora; CI runs it)";
    }

    public static bool IsGlibc =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, "malloc_trim", out _);
}
