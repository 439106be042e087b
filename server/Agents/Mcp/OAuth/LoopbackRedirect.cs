using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Web;

namespace Plue.Agents.Mcp.OAuth;

/// <summary>
/// Where a browser comes back after an OAuth sign-in: <c>http://127.0.0.1:&lt;port&gt;/callback</c> (RFC 8252's loopback
/// redirect), listening from the first remote server's connection until the sidecar stops. A redirect is matched to
/// the sign-in waiting for it by its <c>state</c>; any other request gets a 404 and changes nothing.
/// </summary>
public sealed class LoopbackRedirect : IAsyncDisposable
{
    private const int MaxHeadBytes = 16 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<IReadOnlyDictionary<string, string>>> _waiting = new(StringComparer.Ordinal);
    private readonly Task _accepting;

    public LoopbackRedirect()
    {
        _listener.Start();
        Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/callback");
        _accepting = AcceptAsync();
    }

    public Uri Uri { get; }

    /// <summary>The query parameters of the redirect that carries <paramref name="state"/>, once the browser brings it.</summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitAsync(string state, CancellationToken cancellationToken)
    {
        var waiting = _waiting.GetOrAdd(state, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            return await waiting.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _waiting.TryRemove(KeyValuePair.Create(state, waiting));
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var stream = client.GetStream();
            var target = await ReadTargetAsync(stream, timeout.Token).ConfigureAwait(false);
            var (status, page) = Answer(target);
            var body = Encoding.UTF8.GetBytes(page);
            var head = $"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token).ConfigureAwait(false);
            await stream.WriteAsync(body, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
        }
    }

    private (string Status, string Page) Answer(string? target)
    {
        if (target is null || !target.StartsWith(Uri.AbsolutePath, StringComparison.Ordinal))
            return ("404 Not Found", Page("Not found", "This address only takes a sign-in's redirect."));
        var query = HttpUtility.ParseQueryString(target.Contains('?', StringComparison.Ordinal) ? target[target.IndexOf('?', StringComparison.Ordinal)..] : "");
        var parameters = query.AllKeys.OfType<string>().ToDictionary(k => k, k => query[k] ?? "", StringComparer.Ordinal);
        if (!parameters.TryGetValue("state", out var state) || !_waiting.TryGetValue(state, out var waiting))
            return ("400 Bad Request", Page("Sign-in not recognised", "No sign-in is waiting for this redirect: start it again from VS Code."));
        waiting.TrySetResult(parameters);
        return parameters.ContainsKey("error")
            ? ("200 OK", Page("Sign-in refused", "The server did not sign you in. Return to VS Code to see why."))
            : ("200 OK", Page("Signed in", "You can close this tab and return to VS Code."));
    }

    private static string Page(string title, string text) =>
        $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body style=\"font-family:sans-serif\"><h1>{title}</h1><p>{text}</p></body></html>";

    /// <summary>The request target of a GET (its path and query); null for anything else.</summary>
    private static async Task<string?> ReadTargetAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0) break;
        }
        var line = Encoding.ASCII.GetString(buffer, 0, length).Split("\r\n", 2)[0].Split(' ');
        return line.Length == 3 && line[0] == "GET" ? line[1] : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}
