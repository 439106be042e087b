using Plue.Protocol;
using Plue.Tests.Support;
using Plue.Vault;
using Plue.Vault.Keychain;

namespace Plue.Tests.Vault.Keychain;

/// <summary>
/// The macOS Keychain and the Windows Credential Manager, the real ones, each on its own system (the release workflow's
/// macOS and Windows runners; skipped elsewhere): a secret per home and slot stored, read back, replaced and cleared,
/// and the vault key made in it, found by a second process's view of the same home, and moved into it from an old
/// vault.key. Linux's Secret Service is tested under a real gnome-keyring by tests/keychain.
/// </summary>
public sealed class OsKeychainTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDir _home = new();
    private readonly IKeychain _keychain = OsKeychain.Create(Timeout, _ => null);

    private string HomeId => Path.TrimEndingDirectorySeparator(Path.GetFullPath(_home.Path));

    public void Dispose()
    {
        if (OperatingSystem.IsMacOS() || OperatingSystem.IsWindows())
        {
            _keychain.Clear(HomeId, VaultKeySource.KeySlot);
            _keychain.Clear(HomeId, VaultKeySource.StagedSlot);
        }
        _home.Dispose();
    }

    [OsFact("macOS")]
    public void MacOS_TheKeychainIsChosen_AndKeepsASecretPerHomeAndSlot() => KeepsASecretPerHomeAndSlot("the Keychain");

    [OsFact("Windows")]
    public void Windows_TheCredentialManagerIsChosen_AndKeepsASecretPerHomeAndSlot() => KeepsASecretPerHomeAndSlot("the Credential Manager");

    [OsFact("macOS")]
    public void MacOS_VaultKey_LivesInTheKeychain_NotBesideTheVault() => VaultKeyLivesInTheKeychain();

    [OsFact("Windows")]
    public void Windows_VaultKey_LivesInTheCredentialManager_NotBesideTheVault() => VaultKeyLivesInTheKeychain();

    [Fact]
    public void OtherSystemsKeychain_IsAbsent_SoTheKeyFileIsUsed_NotACrash()
    {
        IKeychain foreign = OperatingSystem.IsWindows() ? new MacKeychain(Timeout, _ => null) : new WindowsCredentialManager(Timeout, _ => null);

        var absent = Assert.Throws<KeychainUnavailableException>(() => foreign.Lookup(HomeId, VaultKeySource.KeySlot));

        Assert.True(absent.Absent);
        Assert.Contains(foreign.Name, absent.Message, StringComparison.Ordinal);
        // Not asked again: the second call says the same without a thread or a library load.
        Assert.Equal(absent.Message, Assert.Throws<KeychainUnavailableException>(() => foreign.Store(HomeId, VaultKeySource.KeySlot, "x")).Message);
    }

    [Fact]
    public void KeychainOff_IsAbsent_WhateverTheSystem()
    {
        var keychain = OsKeychain.Create(Timeout, name => name == SecretServiceKeychain.SwitchVariable ? "off" : null);

        var off = Assert.Throws<KeychainUnavailableException>(() => keychain.Lookup(HomeId, VaultKeySource.KeySlot));

        Assert.True(off.Absent);
        Assert.Equal("PLUE_KEYCHAIN=off", off.Message);
    }

    private void KeepsASecretPerHomeAndSlot(string name)
    {
        Assert.Equal(name, _keychain.Name);
        Assert.Null(_keychain.Lookup(HomeId, VaultKeySource.KeySlot));

        _keychain.Store(HomeId, VaultKeySource.KeySlot, "first-secret");
        _keychain.Store(HomeId, VaultKeySource.StagedSlot, "staged-secret");
        Assert.Equal("first-secret", _keychain.Lookup(HomeId, VaultKeySource.KeySlot));
        _keychain.Store(HomeId, VaultKeySource.KeySlot, "second-secret é");
        Assert.Equal("second-secret é", _keychain.Lookup(HomeId, VaultKeySource.KeySlot));
        Assert.Null(_keychain.Lookup(HomeId + "-other", VaultKeySource.KeySlot));

        _keychain.Clear(HomeId, VaultKeySource.KeySlot);
        _keychain.Clear(HomeId, VaultKeySource.KeySlot); // clearing nothing is no error
        Assert.Null(_keychain.Lookup(HomeId, VaultKeySource.KeySlot));
        Assert.Equal("staged-secret", _keychain.Lookup(HomeId, VaultKeySource.StagedSlot));
    }

    private void VaultKeyLivesInTheKeychain()
    {
        VaultKeySource Source() => new(() => null, _ => null, () => _home.Path, OsKeychain.Create(Timeout, _ => null));
        var old = VaultKey.Generate();
        File.WriteAllText(Path.Combine(_home.Path, VaultKeySource.KeyFileName), old.ToBase64() + "\n");

        var moved = Source().GetOrCreate();

        Assert.Equal(old.ToBase64(), moved.ToBase64());
        Assert.False(File.Exists(Path.Combine(_home.Path, VaultKeySource.KeyFileName)), "the old vault.key moved into the keychain");
        Assert.Equal(old.ToBase64(), _keychain.Lookup(HomeId, VaultKeySource.KeySlot));
        var again = Source();
        Assert.Equal(old.ToBase64(), again.Find()!.ToBase64());
        Assert.Equal(VaultKeyStore.Keychain, again.Locate().Store);
    }
}
