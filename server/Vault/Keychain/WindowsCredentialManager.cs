using System.Runtime.InteropServices;
using System.Text;
using static Plue.Vault.Keychain.WinCredentials;

namespace Plue.Vault.Keychain;

/// <summary>
/// The Windows Credential Manager: one generic credential per home and slot, named
/// <c>dev.plue.VaultKey/&lt;slot&gt;:&lt;home&gt;</c> (Control Panel › Credential Manager › Windows Credentials lists it),
/// kept for this user on this machine. Where the user has no credential store (a service account), the key file is used.
/// </summary>
public sealed class WindowsCredentialManager(TimeSpan timeout, Func<string, string?> environment) : IKeychain
{
    private const string Title = "the Credential Manager";
    private readonly KeychainGate _gate = new(Title, timeout, environment);

    public string Name => Title;

    public unsafe string? Lookup(string home, string slot) => Run(() =>
    {
        if (!CredRead(Target(home, slot), Generic, 0, out var pointer)) return Failed(NotFound);
        try
        {
            var credential = *(Credential*)pointer;
            return Encoding.UTF8.GetString((byte*)credential.CredentialBlob, (int)credential.CredentialBlobSize);
        }
        finally
        {
            CredFree(pointer); // Windows zeroes the blob it allocated
        }
    });

    public void Store(string home, string slot, string secret) => Run(() =>
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        var blob = Marshal.AllocCoTaskMem(bytes.Length);
        var target = Marshal.StringToCoTaskMemUni(Target(home, slot));
        var user = Marshal.StringToCoTaskMemUni("Plue");
        try
        {
            Marshal.Copy(bytes, 0, blob, bytes.Length);
            var credential = new Credential
            {
                Type = Generic, TargetName = target, UserName = user, Persist = PersistLocalMachine,
                CredentialBlob = blob, CredentialBlobSize = (uint)bytes.Length,
            };
            return CredWrite(credential, 0) ? null : Failed();
        }
        finally
        {
            Marshal.Copy(new byte[bytes.Length], 0, blob, bytes.Length);
            Array.Clear(bytes);
            Marshal.FreeCoTaskMem(blob);
            Marshal.FreeCoTaskMem(target);
            Marshal.FreeCoTaskMem(user);
        }
    });

    public void Clear(string home, string slot) => Run(() => CredDelete(Target(home, slot), Generic, 0) ? null : Failed(NotFound));

    private string? Run(Func<string?> call) => _gate.Run(() => OperatingSystem.IsWindows() ? null : "the Credential Manager is Windows'", call);

    private static string Target(string home, string slot) => $"{SecretServiceKeychain.SchemaName}/{slot}:{home}";

    /// <summary>After a call that returned false: null when its error is <paramref name="harmless"/>, else why, as an exception.</summary>
    private static string? Failed(int? harmless = null)
    {
        var error = Marshal.GetLastPInvokeError();
        if (error == harmless) return null;
        throw error == NoSuchLogonSession
            ? new KeychainUnavailableException($"{Title} holds nothing for this logon session (a service account?)", absent: true)
            : new KeychainUnavailableException($"{Title} refused: {Marshal.GetPInvokeErrorMessage(error)} (error {error})");
    }
}
