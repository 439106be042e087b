using System.Runtime.ExceptionServices;

namespace Plue.Vault.Keychain;

/// <summary>
/// Runs a keychain's calls one at a time, each on a thread of its own for at most a timeout. A keychain that does not
/// answer (a prompt nobody sees) or cannot be asked is not asked again by this process, so it never hangs the sidecar.
/// </summary>
internal sealed class KeychainGate(string name, TimeSpan timeout, Func<string, string?> environment)
{
    private readonly Lock _gate = new();
    private string? _unavailable;

    /// <summary>The call's answer; <paramref name="unreachable"/> says why no call can work here (null: try it).</summary>
    public string? Run(Func<string?> unreachable, Func<string?> call)
    {
        lock (_gate)
        {
            if (_unavailable is not null) throw new KeychainUnavailableException(_unavailable);
            var why = environment(SecretServiceKeychain.SwitchVariable) is "off" ? $"{SecretServiceKeychain.SwitchVariable}=off" : unreachable();
            if (why is not null) throw new KeychainUnavailableException(_unavailable = why, absent: true);
            string? result = null;
            Exception? error = null;
            var thread = new Thread(() =>
            {
                try
                {
                    result = call();
                }
                catch (Exception e)
                {
                    error = e;
                }
            }) { IsBackground = true, Name = "plue keychain" };
            thread.Start();
            if (!thread.Join(timeout))
                throw new KeychainUnavailableException(_unavailable = $"{name} did not answer within {timeout.TotalSeconds:0.#} s");
            switch (error)
            {
                case null:
                    return result;
                case KeychainUnavailableException refused:
                    _unavailable = refused.Message;
                    throw new KeychainUnavailableException(refused.Message, refused.Absent);
                case DllNotFoundException or EntryPointNotFoundException:
                    throw new KeychainUnavailableException(_unavailable = $"{name} cannot be loaded on this system", absent: true);
                default:
                    _unavailable = $"{name} failed: {error.GetType().Name}";
                    ExceptionDispatchInfo.Throw(error);
                    return null;
            }
        }
    }
}
