using System.Buffers.Binary;
using System.Text;
using Plue.Workspace;

namespace Plue.Agents.Containers;

/// <summary>
/// Who a task's commands run as in its container: the owner of the folder mounted in, so what they write is the
/// user's; never root (a root-owned folder's container runs as 1000, which may then only read it).
/// </summary>
public static class ContainerUser
{
    public const string Fallback = "1000:1000";

    public static string Of(string folder)
    {
        if (!OperatingSystem.IsLinux()) return Fallback;
        var buffer = new byte[256];
        // STATX_UID | STATX_GID; stx_uid is the u32 at offset 20 of struct statx, stx_gid at 24.
        if (RegularFile.Native.Statx(RegularFile.Native.CurrentFolder, Encoding.UTF8.GetBytes(folder + "\0"), 0, 0x8 | 0x10, buffer) != 0) return Fallback;
        var uid = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20));
        var gid = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(24));
        return uid == 0 ? Fallback : $"{uid}:{gid}";
    }
}
