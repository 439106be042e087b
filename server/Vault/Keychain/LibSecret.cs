using System.Runtime.InteropServices;

namespace Plue.Vault.Keychain;

/// <summary>
/// The few calls of libsecret (the Secret Service's client library, which VS Code itself needs on Linux) and of GLib
/// that the keychain uses: the non-variadic <c>…v_sync</c> forms, which take their attributes as a GHashTable, so no
/// call depends on how a platform passes C varargs. Every parameter is a pointer or an int (strings are UTF-8 the
/// caller allocates), so nothing needs marshalling code, ahead of time or at run time.
/// </summary>
internal static class LibSecret
{
    private const string Secret = "libsecret-1.so.0";
    private const string GLib = "libglib-2.0.so.0";
    private const string GObject = "libgobject-2.0.so.0";
    private const string Gio = "libgio-2.0.so.0";

    [DllImport(Secret, EntryPoint = "secret_schema_newv")]
    public static extern nint SchemaNew(nint name, int flags, nint attributeTypes);

    [DllImport(Secret, EntryPoint = "secret_password_storev_sync")]
    public static extern int Store(nint schema, nint attributes, nint collection, nint label, nint password, nint cancellable, out nint error);

    [DllImport(Secret, EntryPoint = "secret_password_lookupv_sync")]
    public static extern nint Lookup(nint schema, nint attributes, nint cancellable, out nint error);

    [DllImport(Secret, EntryPoint = "secret_password_clearv_sync")]
    public static extern int Clear(nint schema, nint attributes, nint cancellable, out nint error);

    /// <summary>Zeroes the password before freeing it.</summary>
    [DllImport(Secret, EntryPoint = "secret_password_free")]
    public static extern void PasswordFree(nint password);

    [DllImport(Secret, EntryPoint = "secret_service_get_sync")]
    public static extern nint ServiceGet(int flags, nint cancellable, out nint error);

    [DllImport(Secret, EntryPoint = "secret_collection_for_alias_sync")]
    public static extern nint CollectionForAlias(nint service, nint alias, int flags, nint cancellable, out nint error);

    [DllImport(Secret, EntryPoint = "secret_collection_get_locked")]
    public static extern int CollectionLocked(nint collection);

    [DllImport(GLib, EntryPoint = "g_hash_table_new")]
    public static extern nint HashTableNew(nint hash, nint equal);

    [DllImport(GLib, EntryPoint = "g_hash_table_insert")]
    public static extern int HashTableInsert(nint table, nint key, nint value);

    [DllImport(GLib, EntryPoint = "g_hash_table_unref")]
    public static extern void HashTableUnref(nint table);

    [DllImport(GLib, EntryPoint = "g_error_free")]
    public static extern void ErrorFree(nint error);

    [DllImport(GObject, EntryPoint = "g_object_unref")]
    public static extern void ObjectUnref(nint instance);

    [DllImport(Gio, EntryPoint = "g_cancellable_new")]
    public static extern nint CancellableNew();

    [DllImport(Gio, EntryPoint = "g_cancellable_cancel")]
    public static extern void CancellableCancel(nint cancellable);

    /// <summary>g_str_hash and g_str_equal, for a table keyed by strings (they are functions, so their addresses).</summary>
    public static (nint Hash, nint Equal) StringTableFunctions()
    {
        var glib = NativeLibrary.Load(GLib);
        return (NativeLibrary.GetExport(glib, "g_str_hash"), NativeLibrary.GetExport(glib, "g_str_equal"));
    }

    /// <summary>A GError's message (its struct: a 32-bit domain, a 32-bit code, then the message pointer), then frees it.</summary>
    public static string TakeErrorMessage(nint error)
    {
        if (error == 0) return "";
        var message = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(error, 8)) ?? "";
        ErrorFree(error);
        return message;
    }
}
