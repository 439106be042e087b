using System.Runtime.InteropServices;

namespace Plue.Vault.Keychain;

/// <summary>
/// The few calls of Security.framework (the Keychain's generic passwords) and CoreFoundation (the dictionaries, strings
/// and data they take) that <see cref="MacKeychain"/> makes. Every parameter is a pointer, an int or a blittable array,
/// so the source-generated stubs need nothing at run time (Native AOT). Every CF object made is released by its owner.
/// </summary>
internal static partial class MacSecurity
{
    private const string Security = "/System/Library/Frameworks/Security.framework/Security";
    private const string CoreFoundation = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation";
    private const uint Utf8 = 0x08000100; // kCFStringEncodingUTF8

    public const int Success = 0;
    public const int ItemNotFound = -25300; // errSecItemNotFound
    public const int InteractionNotAllowed = -25308; // errSecInteractionNotAllowed: locked, and no one to ask

    [LibraryImport(Security)]
    public static partial int SecItemAdd(nint attributes, nint result);

    [LibraryImport(Security)]
    public static partial int SecItemCopyMatching(nint query, out nint result);

    [LibraryImport(Security)]
    public static partial int SecItemUpdate(nint query, nint attributesToUpdate);

    [LibraryImport(Security)]
    public static partial int SecItemDelete(nint query);

    [LibraryImport(Security)]
    private static partial nint SecCopyErrorMessageString(int status, nint reserved);

    [LibraryImport(CoreFoundation)]
    public static partial void CFRelease(nint cf);

    [LibraryImport(CoreFoundation)]
    private static partial nint CFDictionaryCreate(nint allocator, nint[] keys, nint[] values, nint count, nint keyCallBacks, nint valueCallBacks);

    [LibraryImport(CoreFoundation, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint CFStringCreateWithCString(nint allocator, string text, uint encoding);

    [LibraryImport(CoreFoundation)]
    private static partial byte CFStringGetCString(nint text, byte[] buffer, nint size, uint encoding);

    [LibraryImport(CoreFoundation)]
    private static partial nint CFDataCreate(nint allocator, byte[] bytes, nint length);

    [LibraryImport(CoreFoundation)]
    private static partial nint CFDataGetBytePtr(nint data);

    [LibraryImport(CoreFoundation)]
    private static partial nint CFDataGetLength(nint data);

    /// <summary>A constant the framework exports (<c>kSecClass</c>, <c>kCFBooleanTrue</c>…): the CF object its symbol holds.</summary>
    public static nint Constant(string name) => Marshal.ReadIntPtr(Export(name));

    public static nint String(string text) => CFStringCreateWithCString(0, text, Utf8);

    public static nint Data(byte[] bytes) => CFDataCreate(0, bytes, bytes.Length);

    /// <summary>A copy of a CFData's bytes.</summary>
    public static byte[] Bytes(nint data)
    {
        var bytes = new byte[(int)CFDataGetLength(data)];
        Marshal.Copy(CFDataGetBytePtr(data), bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>A dictionary of CF objects, retained by it (the caller releases its own references as usual).</summary>
    public static nint Dictionary(IReadOnlyList<(nint Key, nint Value)> pairs) => CFDictionaryCreate(0,
        [.. pairs.Select(p => p.Key)], [.. pairs.Select(p => p.Value)], pairs.Count,
        Export("kCFTypeDictionaryKeyCallBacks"), Export("kCFTypeDictionaryValueCallBacks"));

    /// <summary>What the Security framework says a status means, with the status (it is what Apple's documents list).</summary>
    public static string Describe(int status)
    {
        var message = SecCopyErrorMessageString(status, 0);
        if (message == 0) return $"OSStatus {status}";
        try
        {
            var buffer = new byte[512];
            return CFStringGetCString(message, buffer, buffer.Length, Utf8) != 0
                ? $"{System.Text.Encoding.UTF8.GetString(buffer, 0, Array.IndexOf(buffer, (byte)0))} (OSStatus {status})"
                : $"OSStatus {status}";
        }
        finally
        {
            CFRelease(message);
        }
    }

    private static nint Export(string name) => NativeLibrary.GetExport(NativeLibrary.Load(name.StartsWith("kSec", StringComparison.Ordinal) ? Security : CoreFoundation), name);
}
