namespace Plue.Tests.Support;

/// <summary>Waits for what the sidecar does in the background, polling rather than sleeping a fixed time.</summary>
internal static class Polling
{
    public static Task Eventually(Func<bool> condition, string what) => Eventually(() => Task.FromResult(condition()), what);

    /// <summary>Returns once <paramref name="condition"/> holds; throws naming <paramref name="what"/> after 30 s.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 30 s for: {what}");
            await Task.Delay(20);
        }
    }
}
