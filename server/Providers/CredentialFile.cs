using Plue.Workspace;

namespace Plue.Providers;

/// <summary>
/// Reads a credential file the user's tools wrote (a Google service account or application-default file, AWS
/// credentials, config and SSO cache): a regular file of at most <see cref="MaxBytes"/>, read without waiting on a FIFO
/// or a device (<see cref="RegularFile"/>). A refusal names the file and says what to do; it never quotes the file.
/// </summary>
internal static class CredentialFile
{
    /// <summary>Far more than any credential file holds (a service account key is about 2.3 KiB).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The text of <paramref name="path"/>; null when nothing is there.</summary>
    public static string? ReadIfPresent(string path, string what)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) return null;
        try
        {
            return RegularFile.ReadText(path, MaxBytes);
        }
        catch (RegularFileException e)
        {
            throw new ProviderException(ProviderErrorKind.BadKey, $"{what} {path} was not read: {e.Message}. Put the credential file itself there, or point the setting elsewhere.");
        }
    }
}
