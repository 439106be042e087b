using System.Text;
using static Plue.Vault.Keychain.MacSecurity;

namespace Plue.Vault.Keychain;

/// <summary>
/// The macOS Keychain (the user's default keychain, login's): one generic password per home and slot, its service
/// <c>dev.plue.VaultKey/&lt;slot&gt;</c> and its account the home, so <c>security find-generic-password -s
/// dev.plue.VaultKey/key -a ~/.plue</c> finds it. A locked keychain that cannot ask the user, or a prompt nobody answers
/// within the timeout, leaves the key file in use.
/// </summary>
public sealed class MacKeychain(TimeSpan timeout, Func<string, string?> environment) : IKeychain
{
    private const string Keychain = "the Keychain";
    private readonly KeychainGate _gate = new(Keychain, timeout, environment);

    public string Name => Keychain;

    public string? Lookup(string home, string slot) => Run(home, slot, (item, owned) =>
    {
        var status = SecItemCopyMatching(owned.Dictionary([.. item,
            (Constant("kSecReturnData"), Constant("kCFBooleanTrue")), (Constant("kSecMatchLimit"), Constant("kSecMatchLimitOne"))]), out var data);
        if (status == ItemNotFound) return null;
        Check(status);
        owned.Add(data);
        var bytes = Bytes(data);
        try
        {
            return Encoding.UTF8.GetString(bytes);
        }
        finally
        {
            Array.Clear(bytes);
        }
    });

    public void Store(string home, string slot, string secret) => Run(home, slot, (item, owned) =>
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        var value = (Constant("kSecValueData"), owned.Add(Data(bytes)));
        Array.Clear(bytes);
        var status = SecItemUpdate(owned.Dictionary(item), owned.Dictionary([value]));
        if (status == ItemNotFound)
            status = SecItemAdd(owned.Dictionary([.. item, value, (Constant("kSecAttrLabel"), owned.Add(MacSecurity.String($"Plue vault key ({home})")))]), 0);
        Check(status);
        return null;
    });

    public void Clear(string home, string slot) => Run(home, slot, (item, owned) =>
    {
        var status = SecItemDelete(owned.Dictionary(item));
        if (status != ItemNotFound) Check(status);
        return null;
    });

    /// <summary>One call with the item's identity (class, service, account); every CF object it makes is released after.</summary>
    private string? Run(string home, string slot, Func<List<(nint, nint)>, CfObjects, string?> call) => _gate.Run(
        () => OperatingSystem.IsMacOS() ? null : "the Keychain is macOS's",
        () =>
        {
            using var owned = new CfObjects();
            List<(nint, nint)> item =
            [
                (Constant("kSecClass"), Constant("kSecClassGenericPassword")),
                (Constant("kSecAttrService"), owned.Add(MacSecurity.String($"{SecretServiceKeychain.SchemaName}/{slot}"))),
                (Constant("kSecAttrAccount"), owned.Add(MacSecurity.String(home))),
            ];
            return call(item, owned);
        });

    private static void Check(int status)
    {
        if (status == Success) return;
        throw new KeychainUnavailableException(status == InteractionNotAllowed
            ? $"{Keychain} is locked (unlock it, e.g. by logging in, then restart Plue)"
            : $"{Keychain} refused: {Describe(status)}");
    }

    /// <summary>The CF objects one call made, released together.</summary>
    private sealed class CfObjects : IDisposable
    {
        private readonly List<nint> _objects = [];

        public nint Add(nint cf)
        {
            if (cf != 0) _objects.Add(cf);
            return cf;
        }

        public nint Dictionary(IReadOnlyList<(nint, nint)> pairs) => Add(MacSecurity.Dictionary(pairs));

        public void Dispose() => _objects.ForEach(CFRelease);
    }
}
