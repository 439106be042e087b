namespace Plue.Rpc;

/// <summary>
/// Work of the start that blocks for milliseconds (files, the store, git): run on a thread of its own, never the
/// pool's, whose first threads are what the client's first requests run on (on 2 cores there are 2).
/// </summary>
public static class StartWork
{
    /// <summary>Runs <paramref name="work"/> on a background thread named <paramref name="name"/>; what it throws goes to <paramref name="failed"/>, not to the process.</summary>
    public static void Run(string name, Action work, Action<Exception> failed) => new Thread(() =>
    {
        try
        {
            work();
        }
        catch (Exception e)
        {
            failed(e);
        }
    }) { IsBackground = true, Name = name }.Start();
}
