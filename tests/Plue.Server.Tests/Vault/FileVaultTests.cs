using System.Text;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Vault;

namespace Plue.Tests.Vault;

/// <summary>The vault file: encryption, refusals that never overwrite, atomic private writes, rotation, concurrency.</summary>
public sealed class FileVaultTests : IDisposable
{
    private const string Secret = "sk-test-RECOGNIZABLE-0123456789";
    private readonly VaultWorld _world = new(VaultWorld.NewKey());

    public void Dispose() => _world.Dispose();

    private static RpcException VaultError(Action action)
    {
        var e = Assert.Throws<RpcException>(action);
        Assert.Equal(PlueErrorCodes.VaultError, e.Code);
        Assert.StartsWith("the vault cannot be opened with this key: ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("; your secrets are untouched", e.Message, StringComparison.Ordinal);
        return e;
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    [Fact]
    public void Store_ThenResolve_RoundTripsAndTheFileHoldsNoPlaintext()
    {
        _world.Vault.Store("vault://openai/work", Secret);

        Assert.Equal(Secret, _world.Reopen(_world.Key).Resolve("vault://openai/work"));
        Assert.True(_world.Vault.Has("vault://openai/work"));
        Assert.Equal(["vault://openai/work"], _world.Vault.List());
        var file = File.ReadAllBytes(_world.FilePath);
        Assert.False(Contains(file, Secret));
        Assert.False(Contains(file, "openai/work"));
    }

    [Fact]
    public void Delete_RemovesTheEntry_AndReportsWhetherThereWasOne()
    {
        _world.Vault.Store("vault://openai/work", Secret);

        Assert.True(_world.Vault.Delete("vault://openai/work"));
        Assert.False(_world.Vault.Delete("vault://openai/work"));
        Assert.Null(_world.Vault.Resolve("vault://openai/work"));
        Assert.Empty(_world.Vault.List());
    }

    [Fact]
    public void List_SeesAnotherWritersChange_AtOnce_AndATamperedFileStillRefuses()
    {
        // List keeps the names between reads; another process's write (another vault on the home) must show at the
        // next call, even a same-length swap of names within the clock's tick, and a broken file must still refuse.
        var other = _world.Reopen(_world.Key);
        _world.Vault.Store("vault://openai/aaaa", Secret);
        Assert.Equal(["vault://openai/aaaa"], _world.Vault.List());

        other.Store("vault://openai/bbbb", Secret);
        Assert.True(other.Delete("vault://openai/aaaa"));
        Assert.Equal(["vault://openai/bbbb"], _world.Vault.List());

        var file = File.ReadAllBytes(_world.FilePath);
        file[^1] ^= 0x01;
        File.WriteAllBytes(_world.FilePath, file);
        VaultError(() => _world.Vault.List());
    }

    [Fact]
    public void EachWrite_UsesAFreshNonce()
    {
        _world.Vault.Store("vault://openai/work", Secret);
        var first = File.ReadAllBytes(_world.FilePath);
        _world.Vault.Store("vault://openai/work", Secret);
        var second = File.ReadAllBytes(_world.FilePath);

        Assert.Equal(first.Length, second.Length);
        Assert.NotEqual(first.AsSpan(13, VaultFormat.NonceSize).ToArray(), second.AsSpan(13, VaultFormat.NonceSize).ToArray());
    }

    [Theory]
    [InlineData(0)]     // magic
    [InlineData(4)]     // format version
    [InlineData(8)]     // key id
    [InlineData(20)]    // nonce
    [InlineData(30)]    // tag
    [InlineData(-1)]    // last ciphertext byte
    public void Tamper_OneByteFlipped_ClearErrorAndTheFileIsNeverOverwritten(int offset)
    {
        _world.Vault.Store("vault://openai/first", "1");
        _world.Vault.Store("vault://openai/work", Secret);
        var backup = File.ReadAllBytes(_world.BackupPath);
        var bytes = File.ReadAllBytes(_world.FilePath);
        bytes[offset < 0 ? bytes.Length + offset : offset] ^= 0x01;
        File.WriteAllBytes(_world.FilePath, bytes);

        VaultError(() => _world.Vault.List());
        VaultError(() => _world.Vault.Resolve("vault://openai/work"));
        VaultError(() => _world.Vault.Store("vault://openai/other", "new"));
        VaultError(() => _world.Vault.Delete("vault://openai/work"));
        VaultError(() => _world.Vault.Rotate(VaultWorld.NewKey()));

        Assert.Equal(bytes, File.ReadAllBytes(_world.FilePath));
        Assert.Equal(backup, File.ReadAllBytes(_world.BackupPath));
    }

    [Fact]
    public void Tamper_Ciphertext_SaysIntegrityCheckFailed()
    {
        _world.Vault.Store("vault://openai/work", Secret);
        var bytes = File.ReadAllBytes(_world.FilePath);
        bytes[^1] ^= 0x80;
        File.WriteAllBytes(_world.FilePath, bytes);

        Assert.Contains("integrity check", VaultError(() => _world.Vault.List()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongKey_ClearErrorNamingTheKeySources_StoreRefused_FileUnchanged()
    {
        _world.Vault.Store("vault://openai/work", Secret);
        var before = File.ReadAllBytes(_world.FilePath);
        var wrongKey = VaultWorld.NewKey();
        var other = _world.Reopen(wrongKey);

        var e = VaultError(() => other.Has("vault://openai/work"));
        Assert.Contains("not the key vault.bin was written with", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_world.Key!, e.Message, StringComparison.Ordinal);
        VaultError(() => other.Store("vault://openai/work", "replacement"));
        Assert.Equal(before, File.ReadAllBytes(_world.FilePath));
        Assert.Equal(Secret, _world.Vault.Resolve("vault://openai/work"));
    }

    [Fact]
    public void MalformedKey_IsRefusedWithoutEchoingIt()
    {
        var e = VaultError(() => _world.Reopen("not-a-key-but-a-secret-looking-string").Store("vault://a/b", Secret));
        Assert.Contains("not base64 of 32 bytes", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-looking", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_world.FilePath));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(40)]
    public void Truncated_ClearError_FileUnchanged(int length)
    {
        _world.Vault.Store("vault://openai/work", Secret);
        var truncated = File.ReadAllBytes(_world.FilePath)[..length];
        File.WriteAllBytes(_world.FilePath, truncated);

        Assert.Contains("truncated", VaultError(() => _world.Vault.List()).Message, StringComparison.Ordinal);
        VaultError(() => _world.Vault.Store("vault://openai/work", "x"));
        Assert.Equal(truncated, File.ReadAllBytes(_world.FilePath));
    }

    [Fact]
    public void NoKey_WithAnExistingVault_IsRefused_AndNoKeyFileIsMade()
    {
        _world.Vault.Store("vault://openai/work", Secret);
        var keyless = _world.Reopen(null);

        Assert.Contains("the home has no key", VaultError(() => keyless.Store("vault://openai/x", "y")).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_world.Home, VaultKeySource.KeyFileName)));
    }

    [Fact]
    public void Rotate_ReEncryptsWithTheNewKey_KeepsTheOldFileAsBackup()
    {
        _world.Vault.Store("vault://openai/work", Secret);
        _world.Vault.Store("vault://anthropic/home", "second");
        var oldKey = _world.Key!;
        var oldFile = File.ReadAllBytes(_world.FilePath);
        var newKey = VaultWorld.NewKey();

        Assert.Equal(2, _world.Vault.Rotate(newKey));

        Assert.Equal(oldFile, File.ReadAllBytes(_world.BackupPath));
        VaultError(() => _world.Reopen(oldKey).List());
        var reopened = _world.Reopen(newKey);
        Assert.Equal(Secret, reopened.Resolve("vault://openai/work"));
        Assert.Equal("second", reopened.Resolve("vault://anthropic/home"));
        // This process goes on with the new key, though the environment still holds the old one.
        _world.Vault.Store("vault://openai/third", "3");
        Assert.Equal("3", _world.Reopen(newKey).Resolve("vault://openai/third"));
    }

    [Fact]
    public void Rotate_MalformedNewKey_InvalidParams_FileUnchanged()
    {
        _world.Vault.Store("vault://openai/work", Secret);
        var before = File.ReadAllBytes(_world.FilePath);

        var e = Assert.Throws<RpcException>(() => _world.Vault.Rotate("short"));
        Assert.Equal(ErrorCodes.InvalidParams, e.Code);
        Assert.Equal(before, File.ReadAllBytes(_world.FilePath));
    }

    [Fact]
    public void KeyFile_MadeOnFirstStoreOnly_Private_AndRotationReplacesIt()
    {
        using var world = new VaultWorld(key: null);
        var keyFile = Path.Combine(world.Home, VaultKeySource.KeyFileName);
        Assert.False(world.Vault.Has("vault://openai/work"));
        Assert.Empty(world.Vault.List());
        Assert.False(File.Exists(keyFile));

        world.Vault.Store("vault://openai/work", Secret);
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows()) Assert.Equal(AtomicFile.OwnerOnly, File.GetUnixFileMode(keyFile));
        Assert.Equal(Secret, world.Reopen(null).Resolve("vault://openai/work"));

        var newKey = VaultWorld.NewKey();
        world.Vault.Rotate(newKey);
        Assert.Equal(newKey, File.ReadAllText(keyFile).Trim());
        Assert.Equal(Secret, world.Reopen(null).Resolve("vault://openai/work"));
    }

    [Fact]
    public void KeyFileRotation_KilledAfterTheVaultBeforeTheKeyFile_IsCompletedAtTheNextOpen()
    {
        using var world = new VaultWorld(key: null);
        world.Vault.Store("vault://openai/work", Secret);
        var keyFile = Path.Combine(world.Home, VaultKeySource.KeyFileName);
        var oldKey = File.ReadAllText(keyFile);
        world.Vault.Rotate(VaultWorld.NewKey());
        var newKey = File.ReadAllText(keyFile);
        // The state a kill between vault.bin and the key file's rename leaves: vault.bin new, vault.key old, the new one staged.
        File.WriteAllText(Path.Combine(world.Home, VaultKeySource.PendingKeyFileName), newKey);
        File.WriteAllText(keyFile, oldKey);

        Assert.Equal(Secret, world.Reopen(null).Resolve("vault://openai/work"));
        Assert.Equal(newKey, File.ReadAllText(keyFile));
        Assert.False(File.Exists(Path.Combine(world.Home, VaultKeySource.PendingKeyFileName)));
    }

    [Fact]
    public void KeyFileRotation_KilledBeforeTheVault_DropsTheStagedKey()
    {
        using var world = new VaultWorld(key: null);
        world.Vault.Store("vault://openai/work", Secret);
        var pending = Path.Combine(world.Home, VaultKeySource.PendingKeyFileName);
        File.WriteAllText(pending, VaultWorld.NewKey());

        Assert.Equal(Secret, world.Reopen(null).Resolve("vault://openai/work"));
        Assert.False(File.Exists(pending));
    }

    [Fact]
    public void VaultFileThatIsAFolder_HasAndStoreSaySo_AndWriteNothing()
    {
        Directory.CreateDirectory(_world.FilePath);

        foreach (var action in new Action[] { () => _world.Vault.Has("vault://openai/work"), () => _world.Vault.Store("vault://openai/work", Secret), () => _world.Vault.List() })
        {
            var e = Assert.Throws<RpcException>(action);
            Assert.Equal(PlueErrorCodes.VaultError, e.Code);
            Assert.Contains("is a folder, not a file", e.Message);
            Assert.Contains("Move that folder aside", e.Message);
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(_world.FilePath));
        Assert.False(File.Exists(_world.BackupPath));
    }

    [Fact]
    public void EnvironmentKey_IsNeverWrittenToTheHome()
    {
        _world.Vault.Store("vault://openai/work", Secret);

        Assert.Equal(Secret, _world.Reopen(_world.Key).Resolve("vault://openai/work"));
        Assert.False(File.Exists(_world.KeyFilePath));
    }

    [Fact]
    public void ClientKey_OpensTheVaultItWrote_AndBecomesTheHomesKeyFile_ForTheCommandLine()
    {
        // A home made while the extension kept the key: vault.bin written with it, no vault.key.
        var previous = VaultWorld.NewKey();
        _world.Reopen(previous).Store("vault://openai/work", Secret);
        Assert.False(File.Exists(_world.KeyFilePath));

        Assert.Equal(Secret, _world.Reopen(null, clientKey: previous).Resolve("vault://openai/work"));

        Assert.Equal(previous, File.ReadAllText(_world.KeyFilePath).Trim());
        if (!OperatingSystem.IsWindows()) Assert.Equal(AtomicFile.OwnerOnly, File.GetUnixFileMode(_world.KeyFilePath));
        Assert.Equal(Secret, _world.Reopen(null).Resolve("vault://openai/work"));
    }

    [Fact]
    public void ClientKey_IsNotTheKeyOfANewVault()
    {
        using var world = new VaultWorld(key: null, clientKey: VaultWorld.NewKey());
        world.Vault.Store("vault://openai/work", Secret);

        Assert.NotEqual(world.ClientKey, File.ReadAllText(world.KeyFilePath).Trim());
        Assert.Equal(Secret, world.Reopen(null).Resolve("vault://openai/work"));
    }

    [Fact]
    public void ClientKey_GivesWayToTheHomesKey_AndOpensNothingItDidNotWrite()
    {
        using var world = new VaultWorld(key: null);
        world.Vault.Store("vault://openai/work", Secret);
        var homeKey = File.ReadAllText(world.KeyFilePath);

        Assert.Equal(Secret, world.Reopen(null, clientKey: VaultWorld.NewKey()).Resolve("vault://openai/work"));
        Assert.Equal(homeKey, File.ReadAllText(world.KeyFilePath));

        File.Delete(world.KeyFilePath);
        var stranger = VaultWorld.NewKey();
        var e = VaultError(() => world.Reopen(null, clientKey: stranger).Has("vault://openai/work"));
        Assert.Contains("not the key vault.bin was written with", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(stranger, e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(world.KeyFilePath));
    }

    [Fact]
    public void Store_SecretThatIsNotText_RefusedNamingTheReference_AndTheVaultUnchanged()
    {
        _world.Vault.Store("vault://openai/work", Secret);
        var before = File.ReadAllBytes(_world.FilePath);

        var e = Assert.Throws<RpcException>(() => _world.Vault.Store("vault://openai/work", "sk-\0\u0001binary"));
        Assert.Equal(ErrorCodes.InvalidParams, e.Code);
        Assert.StartsWith("The secret for vault://openai/work has a character that is not printable at position 4 (a NUL byte)", e.Message, StringComparison.Ordinal);
        Assert.Throws<RpcException>(() => _world.Vault.Store("vault://openai/work", new string('x', SecretText.MaxSecretLength + 1)));

        Assert.Equal(before, File.ReadAllBytes(_world.FilePath));
        Assert.Equal(Secret, _world.Vault.Resolve("vault://openai/work"));
    }

    [Fact]
    public void Store_JsonCredentialOverSeveralLines_IsKept()
    {
        const string credential = "{\n  \"accessKeyId\": \"AKIA0000\",\n\t\"secretAccessKey\": \"s3cr3t\"\r\n}";
        _world.Vault.Store("vault://bedrock/work", credential);
        Assert.Equal(credential, _world.Reopen(_world.Key).Resolve("vault://bedrock/work"));
    }

    [Fact]
    public void Writes_AreAtomicAndPrivate_LeavingNoTempFiles()
    {
        for (var i = 0; i < 20; i++) _world.Vault.Store($"vault://openai/k{i}", Secret + i);

        Assert.Equal([FileVault.FileName, FileVault.BackupName, FileVault.LockName], Directory.GetFiles(_world.Home).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(AtomicFile.OwnerOnly, File.GetUnixFileMode(_world.FilePath));
        Assert.Equal(AtomicFile.OwnerOnly, File.GetUnixFileMode(_world.BackupPath));
        Assert.Equal(AtomicFile.OwnerOnly, File.GetUnixFileMode(Path.Combine(_world.Home, FileVault.LockName)));
    }

    [Fact]
    public void Backup_IsThePreviousVersion()
    {
        _world.Vault.Store("vault://openai/one", "1");
        var first = File.ReadAllBytes(_world.FilePath);
        _world.Vault.Store("vault://openai/two", "2");

        Assert.Equal(first, File.ReadAllBytes(_world.BackupPath));
    }

    [Fact]
    public async Task ConcurrentStores_FromManyTasks_AllLand()
    {
        var tasks = Enumerable.Range(0, 64).Select(i => Task.Run(() => _world.Vault.Store($"vault://p{i % 4}/key-{i}", $"value-{i}")));
        await Task.WhenAll(tasks);

        var reopened = _world.Reopen(_world.Key);
        Assert.Equal(64, reopened.List().Count);
        for (var i = 0; i < 64; i++) Assert.Equal($"value-{i}", reopened.Resolve($"vault://p{i % 4}/key-{i}"));
        Assert.Equal(3, Directory.GetFiles(_world.Home).Length);
    }

    [Fact]
    public async Task ConcurrentStores_FromTwoVaultsOverOneHome_AllLand()
    {
        // Two FileVaults stand for two processes (a window and the command line): only vault.lock orders them.
        var other = _world.Reopen(_world.Key);
        _world.Vault.Store("vault://p/first", "made-the-file");
        var tasks = Enumerable.Range(0, 40).Select(i => Task.Run(() => (i % 2 == 0 ? _world.Vault : other).Store($"vault://p/k{i}", $"v{i}")));
        await Task.WhenAll(tasks);

        Assert.Equal(41, _world.Reopen(_world.Key).List().Count);
    }

    [Theory]
    [InlineData("openai/work")]
    [InlineData("vault://openai")]
    [InlineData("vault://../etc")]
    [InlineData("vault://openai/a/b")]
    public void BadReference_InvalidParams(string reference)
    {
        var e = Assert.Throws<RpcException>(() => _world.Vault.Store(reference, Secret));
        Assert.Equal(ErrorCodes.InvalidParams, e.Code);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FixtureVault_WrittenByAnotherImplementation_OpensWithItsKey()
    {
        // The protocol fixture's vault.bin was made with node's crypto from the format in tests/fixtures/protocol/README.md.
        var fixture = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Plue.Tests.Support.RepoPaths.Fixtures("protocol", "vault-wrong-key.json")))!;
        File.WriteAllBytes(_world.FilePath, Convert.FromBase64String(fixture["homeFiles"]!["vault.bin"]!.GetValue<string>()));

        Assert.Equal("sk-written-with-key-a", _world.Reopen(Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray())).Resolve("vault://openai/work"));
    }
}
