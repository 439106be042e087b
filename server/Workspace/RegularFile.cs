using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Plue.Workspace;

/// <summary>
/// Reads a file the sidecar did not write (a template, a prompt, a credential file) as text: only a regular file, links
/// followed only to one (a device such as /dev/zero never ends, a FIFO never answers, a folder is no file), and never
/// more than a limit, counted while reading, because a size on disk can lie (/dev/zero says 0).
/// </summary>
public static class RegularFile
{
    /// <summary>The file's text (UTF-8, a byte order mark dropped). Throws <see cref="RegularFileException"/> saying why not.</summary>
    public static string ReadText(string path, int maxBytes)
    {
        var text = ReadBytes(path, maxBytes).Span;
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];
        return Encoding.UTF8.GetString(text);
    }

    /// <summary>The file's bytes as they are. Throws <see cref="RegularFileException"/> saying why not.</summary>
    public static ReadOnlyMemory<byte> ReadBytes(string path, int maxBytes)
    {
        using var stream = OpenRegular(path);
        // Sized by what the file says it holds, one byte over to see its end at once: a start reads dozens of small
        // files (templates, prompts, the catalog), and a fixed 64 KiB each made most of its garbage and its collections.
        var bytes = new byte[Math.Min(maxBytes + 1L, LengthOrGuess(stream) + 1)];
        var length = 0;
        int read;
        while ((read = stream.Read(bytes, length, bytes.Length - length)) > 0)
        {
            length += read;
            if (length > maxBytes) throw new RegularFileException($"it is larger than {Describe(maxBytes)}");
            if (length == bytes.Length) Array.Resize(ref bytes, (int)Math.Min(bytes.Length * 2L, maxBytes + 1L));
        }
        return bytes.AsMemory(0, length);
    }

    /// <summary>The file's size on disk, or 4 KiB where it says none (a /proc file says 0 and still has text); the read grows past it as needed.</summary>
    private static long LengthOrGuess(FileStream stream)
    {
        try
        {
            return stream.Length is > 0 and var length ? length : 4096;
        }
        catch (Exception e) when (e is IOException or NotSupportedException)
        {
            return 4096;
        }
    }

    /// <summary>A byte limit as a user reads it: "1 MiB", "256 KiB".</summary>
    public static string Describe(int bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes / 1024} KiB";

    /// <summary>
    /// Opens without waiting (a FIFO with no writer would block an ordinary open for ever) and checks the opened file
    /// itself is regular, so nothing swapped in between a check and the open is read.
    /// </summary>
    private static FileStream OpenRegular(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere: the read is still bounded; a directory or a missing file fails to open with its own message.
            return Open(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1));
        }
        var fd = Native.Open(Encoding.UTF8.GetBytes(path + "\0"), Native.ReadOnlyNonBlockingCloseOnExec);
        if (fd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new RegularFileException(error == Native.NoSuchFile ? "it does not exist (a link that leads nowhere?)" : $"it cannot be opened (error {error})");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var status = new byte[256];
            if (Native.Statx(fd, [0], Native.EmptyPath, Native.StatxType, status) != 0 || (BitConverter.ToUInt16(status, 28) & 0xF000) != 0x8000)
                throw new RegularFileException("it is not a regular file (a device, a pipe, a socket or a folder), and only regular files are read");
            return Open(() => new FileStream(handle, FileAccess.Read, bufferSize: 1));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static FileStream Open(Func<FileStream> open)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegularFileException($"it cannot be read: {e.Message}");
        }
    }

    /// <summary>The Linux calls the workspace's file code makes itself (<see cref="FolderWatch"/> reads a folder's identity with <see cref="Statx"/> too).</summary>
    internal static class Native
    {
        public const int ReadOnlyNonBlockingCloseOnExec = 0x800 | 0x80000; // O_RDONLY | O_NONBLOCK | O_CLOEXEC
        public const int EmptyPath = 0x1000; // AT_EMPTY_PATH: statx of the descriptor itself
        public const int CurrentFolder = -100; // AT_FDCWD: statx of a path
        public const uint StatxType = 0x1; // STATX_TYPE; stx_mode is the u16 at offset 28 of struct statx
        public const uint StatxBirth = 0x800; // STATX_BTIME
        public const uint StatxInoAndBirth = 0x100 | StatxBirth; // STATX_INO | STATX_BTIME
        public const int NoSuchFile = 2; // ENOENT

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        public static extern int Statx(int dirfd, byte[] path, int flags, uint mask, byte[] buffer);
    }
}

/// <summary>Why a file was not read, in words that finish "… was not read: ".</summary>
public sealed class RegularFileException(string message) : Exception(message);
