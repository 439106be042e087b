using System.Runtime.InteropServices;

namespace Plue.Vault.Keychain;

/// <summary>
/// The Credential Manager calls of advapi32 that <see cref="WindowsCredentialManager"/> makes, on generic credentials.
/// The credential is a blittable struct and strings are UTF-16, so the source-generated stubs suit Native AOT.
/// </summary>
internal static partial class WinCredentials
{
    public const uint Generic = 1; // CRED_TYPE_GENERIC
    public const uint PersistLocalMachine = 2; // CRED_PERSIST_LOCAL_MACHINE: this user, this machine, across logons
    public const int NotFound = 1168; // ERROR_NOT_FOUND
    public const int NoSuchLogonSession = 1312; // ERROR_NO_SUCH_LOGON_SESSION: no profile to keep credentials in (a service)

    [LibraryImport("advapi32.dll", EntryPoint = "CredWriteW", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CredWrite(in Credential credential, uint flags);

    [LibraryImport("advapi32.dll", EntryPoint = "CredReadW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CredRead(string target, uint type, uint flags, out nint credential);

    [LibraryImport("advapi32.dll", EntryPoint = "CredDeleteW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CredDelete(string target, uint type, uint flags);

    [LibraryImport("advapi32.dll", EntryPoint = "CredFree")]
    public static partial void CredFree(nint buffer);

    /// <summary>CREDENTIALW, field for field (FILETIME as its two halves).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Credential
    {
        public uint Flags;
        public uint Type;
        public nint TargetName;
        public nint Comment;
        public uint LastWrittenLow;
        public uint LastWrittenHigh;
        public uint CredentialBlobSize;
        public nint CredentialBlob;
        public uint Persist;
        public uint AttributeCount;
        public nint Attributes;
        public nint TargetAlias;
        public nint UserName;
    }
}
