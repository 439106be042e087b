using System.Runtime.InteropServices;

namespace Plue.Vault.Keychain;

/// <summary>
/// The Secret Service (GNOME Keyring, KWallet…) through libsecret, on Linux. Every call runs on its own thread and is
/// given <paramref name="timeout"/>: a keychain that does not answer (a stuck bus, a prompt nobody sees) is cancelled
/// and left alone for the rest of the process, so it never hangs the sidecar. A locked keyring is not asked at all:
/// asking would open a password prompt (or, with no display, answer "not found" for a secret it holds).
/// </summary>
public sealed class SecretServiceKeychain(TimeSpan timeout, Func<string, string?> environment) : IKeychain
{
    public const string SchemaName = "dev.plue.VaultKey";
    /// <summary><c>off</c> keeps the key in the key file even where a keychain answers (a home shared between machines; tests).</summary>
    public const string SwitchVariable = "PLUE_KEYCHAIN";
    private const int SchemaAttributeString = 0;
    private const string Service = "the Secret Service";

    private static nint s_schema;
    private readonly Lock _gate = new();
    private string? _unavailable;
    private bool _checked;

    public string Name => Service;

    public string? Lookup(string home, string slot) => Run(home, slot, call =>
    {
        var password = LibSecret.Lookup(call.Schema, call.Attributes, call.Cancellable, out var error);
        if (error != 0) throw Refused(error);
        if (password == 0) return null;
        try
        {
            return Marshal.PtrToStringUTF8(password);
        }
        finally
        {
            LibSecret.PasswordFree(password);
        }
    });

    public void Store(string home, string slot, string secret) => Run(home, slot, call =>
    {
        var stored = LibSecret.Store(call.Schema, call.Attributes, 0, call.Utf8($"Plue vault key ({home})"), call.Utf8(secret), call.Cancellable, out var error);
        return stored != 0 ? null : throw Refused(error);
    });

    public void Clear(string home, string slot) => Run(home, slot, call =>
    {
        LibSecret.Clear(call.Schema, call.Attributes, call.Cancellable, out var error);
        return error != 0 ? throw Refused(error) : null;
    });

    /// <summary>Runs one libsecret call on a thread of its own and waits for it at most the timeout.</summary>
    private string? Run(string home, string slot, Func<KeychainCall, string?> call)
    {
        lock (_gate)
        {
            if (_unavailable is not null) throw new KeychainUnavailableException(_unavailable);
            if (Unreachable() is { } reason) throw new KeychainUnavailableException(_unavailable = reason, absent: true);
            var check = !_checked;
            var work = new KeychainCall(home, slot, native =>
            {
                if (check) CheckUnlocked(native);
                return call(native);
            });
            var thread = new Thread(work.Run) { IsBackground = true, Name = "plue keychain" };
            thread.Start();
            if (!thread.Join(timeout))
            {
                work.Cancel();
                _unavailable = $"{Service} did not answer within {timeout.TotalSeconds:0.#} s";
                throw new KeychainUnavailableException(_unavailable);
            }
            _checked = true;
            if (work.Error is null) return work.Result;
            _unavailable = work.Error.Message;
            throw work.Error;
        }
    }

    /// <summary>Why no call can work here, before trying one: not Linux, turned off, or no session bus to find the service on.</summary>
    private string? Unreachable()
    {
        if (!OperatingSystem.IsLinux()) return "Plue uses no OS keychain on this system yet";
        if (environment(SwitchVariable) is "off") return $"{SwitchVariable}=off";
        if (environment("DBUS_SESSION_BUS_ADDRESS") is { Length: > 0 }) return null;
        var runtime = environment("XDG_RUNTIME_DIR");
        return runtime is { Length: > 0 } && File.Exists(Path.Combine(runtime, "bus"))
            ? null
            : $"no D-Bus session bus to reach {Service} on (DBUS_SESSION_BUS_ADDRESS is not set)";
    }

    /// <summary>The default keyring (where a new secret goes) must exist and be unlocked.</summary>
    private static void CheckUnlocked(KeychainCall call)
    {
        var service = LibSecret.ServiceGet(0, call.Cancellable, out var error);
        if (error != 0) throw Refused(error);
        try
        {
            var collection = LibSecret.CollectionForAlias(service, call.Utf8("default"), 0, call.Cancellable, out error);
            if (error != 0) throw Refused(error);
            if (collection == 0) throw new KeychainUnavailableException($"{Service} has no default keyring");
            try
            {
                if (LibSecret.CollectionLocked(collection) != 0)
                    throw new KeychainUnavailableException($"the default keyring of {Service} is locked (unlock it, e.g. by logging in to the desktop, then restart Plue)");
            }
            finally
            {
                LibSecret.ObjectUnref(collection);
            }
        }
        finally
        {
            LibSecret.ObjectUnref(service);
        }
    }

    private static KeychainUnavailableException Refused(nint error) => new($"{Service} refused: {LibSecret.TakeErrorMessage(error)}");

    /// <summary>The schema (made once, kept for the process): a home and a slot, both strings.</summary>
    private static nint Schema(KeychainCall call)
    {
        if (s_schema != 0) return s_schema;
        var (hash, equal) = LibSecret.StringTableFunctions();
        var types = LibSecret.HashTableNew(hash, equal);
        try
        {
            LibSecret.HashTableInsert(types, call.Utf8("home"), SchemaAttributeString);
            LibSecret.HashTableInsert(types, call.Utf8("slot"), SchemaAttributeString);
            return s_schema = LibSecret.SchemaNew(call.Utf8(SchemaName), 0, types);
        }
        finally
        {
            LibSecret.HashTableUnref(types);
        }
    }

    /// <summary>
    /// One call's native state, owned by its thread: the UTF-8 strings it hands libsecret (zeroed when freed, as one is
    /// the key), the attributes and the cancellable. The waiter may only cancel it while it runs.
    /// </summary>
    private sealed class KeychainCall(string home, string slot, Func<KeychainCall, string?> call)
    {
        private readonly Lock _state = new();
        private readonly List<(nint Pointer, int Length)> _strings = [];

        public nint Schema { get; private set; }
        public nint Attributes { get; private set; }
        public nint Cancellable { get; private set; }
        public string? Result { get; private set; }
        public KeychainUnavailableException? Error { get; private set; }

        public nint Utf8(string text)
        {
            var pointer = Marshal.StringToCoTaskMemUTF8(text);
            _strings.Add((pointer, System.Text.Encoding.UTF8.GetByteCount(text)));
            return pointer;
        }

        public void Run()
        {
            try
            {
                Schema = SecretServiceKeychain.Schema(this);
                var (hash, equal) = LibSecret.StringTableFunctions();
                Attributes = LibSecret.HashTableNew(hash, equal);
                LibSecret.HashTableInsert(Attributes, Utf8("home"), Utf8(home));
                LibSecret.HashTableInsert(Attributes, Utf8("slot"), Utf8(slot));
                lock (_state) Cancellable = LibSecret.CancellableNew();
                Result = call(this);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                Error = new KeychainUnavailableException($"libsecret is not installed (Debian's libsecret-1-0), so {Service} cannot be asked", absent: true);
            }
            catch (KeychainUnavailableException e)
            {
                Error = e;
            }
            finally
            {
                lock (_state)
                {
                    if (Cancellable != 0) LibSecret.ObjectUnref(Cancellable);
                    Cancellable = 0;
                }
                if (Attributes != 0) LibSecret.HashTableUnref(Attributes);
                foreach (var (pointer, length) in _strings)
                {
                    Marshal.Copy(new byte[length], 0, pointer, length);
                    Marshal.FreeCoTaskMem(pointer);
                }
            }
        }

        public void Cancel()
        {
            lock (_state)
                if (Cancellable != 0) LibSecret.CancellableCancel(Cancellable);
        }
    }
}
