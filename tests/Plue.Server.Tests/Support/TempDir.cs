namespace Plue.Tests.Support;

/// <summary>A fresh folder under the system temp dir, removed when disposed.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("plue-test-").FullName;

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a process under test; the OS cleans temp later.
        }
    }
}
