using System.Net;

namespace Plue.Outbound;

/// <summary>
/// Sits under every <see cref="HttpClient"/> the sidecar makes (<see cref="BoundedHttp"/>) and follows redirects
/// itself, by one rule: a request that carries a body or a credential never goes to another origin. The platform's own
/// redirect handling re-posts a 307's body, code, verifier and secret included, to wherever the server points, and
/// keeps every header but <c>Authorization</c> (an <c>x-api-key</c>, a vault header). Answers from anything but
/// <paramref name="streamed"/> (an MCP server's OAuth discovery, registration and tokens; a provider's checks) are read
/// here whole, at most <see cref="BoundedHttp.MaxAnswerBytes"/> within <see cref="BoundedHttp.AnswerTimeLimit"/>;
/// streamed ones are counted as they are read, at most <see cref="BoundedHttp.MaxStreamBytes"/>.
/// </summary>
/// <param name="streamed">Whether a request's answer is a stream its reader bounds (a provider's answer, an MCP server's messages).</param>
/// <param name="credentialHeaders">Header names besides Authorization that carry a secret (a record's vault headers).</param>
public sealed class BoundedHttpHandler(HttpMessageHandler inner, Func<HttpRequestMessage, bool> streamed, IReadOnlyCollection<string> credentialHeaders)
    : DelegatingHandler(inner)
{
    private const int MaxRedirects = 5;

    /// <summary>
    /// The last streamed answer cut at <see cref="BoundedHttp.MaxStreamBytes"/>, if any: a reader that takes a failed
    /// stream for one that ended (the MCP SDK: "completed without a reply") is told why by its owner from here.
    /// </summary>
    public IOException? Cut { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var whole = !streamed(request);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (whole) limit.CancelAfter(BoundedHttp.AnswerTimeLimit);
        var asked = request.RequestUri!;
        try
        {
            var response = await FollowAsync(request, limit.Token).ConfigureAwait(false);
            return whole ? await ReadWholeAsync(response, limit.Token).ConfigureAwait(false) : Counted(response, cut => Cut = cut);
        }
        catch (OperationCanceledException e) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"{Origin(asked)} did not answer {asked.AbsolutePath} within {BoundedHttp.AnswerTimeLimit.TotalSeconds:0} s; "
                + "Plue stopped waiting. Check that the address is right and the server is up, then try again.", e);
        }
    }

    private async Task<HttpResponseMessage> FollowAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var hops = 0; ; hops++)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location) return response;
            var from = request.RequestUri!;
            var to = location.IsAbsoluteUri ? location : new Uri(from, location);
            var status = (int)response.StatusCode;
            response.Dispose();
            if (hops == MaxRedirects)
                throw new RedirectRefusedException($"{Origin(from)} redirected {MaxRedirects} times in a row; Plue stopped following. Check the server's address.");
            // 303, and a 301 or 302 of a POST, become a GET without a body, as browsers do; 307 and 308 keep both.
            var keepsBody = request.Content is not null && !(status == 303 || (status is 301 or 302 && request.Method == HttpMethod.Post));
            var sameOrigin = Origin(from) == Origin(to);
            if (!sameOrigin && (keepsBody || request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && status is 307 or 308 || CarriesCredential(request)))
                throw new RedirectRefusedException($"{Origin(from)} answered {request.Method} {from.AbsolutePath} with {status}, a redirect to another server ({Origin(to)}). "
                    + "Plue does not send a request's body or credentials to another server, so it stopped; check the server's address (it may have moved) and try again.");
            if (from.Scheme == Uri.UriSchemeHttps && to.Scheme != Uri.UriSchemeHttps)
                throw new RedirectRefusedException($"{Origin(from)} redirected to {Origin(to)}, which is not HTTPS; Plue stopped. Check the server's address.");
            if (!keepsBody && request.Content is not null)
            {
                request.Method = HttpMethod.Get;
                request.Content = null;
            }
            request.RequestUri = to;
        }
    }

    private bool CarriesCredential(HttpRequestMessage request) =>
        request.Headers.Authorization is not null || credentialHeaders.Any(request.Headers.Contains);

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    /// <summary>The answer read into memory here, never more than the cap: a 200 MB token answer costs 1 MiB at most.</summary>
    private static async Task<HttpResponseMessage> ReadWholeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var from = response.RequestMessage?.RequestUri;
            if (response.Content.Headers.ContentLength > BoundedHttp.MaxAnswerBytes) throw TooLarge(from);
            var buffer = await BoundedHttp.ReadCappedAsync(response.Content, BoundedHttp.MaxAnswerBytes, () => TooLarge(from), cancellationToken).ConfigureAwait(false);
            var copy = new HttpResponseMessage(response.StatusCode)
            {
                Content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length),
                ReasonPhrase = response.ReasonPhrase,
                RequestMessage = response.RequestMessage,
                Version = response.Version,
            };
            foreach (var (name, values) in response.Headers) copy.Headers.TryAddWithoutValidation(name, values);
            foreach (var (name, values) in response.Content.Headers)
                if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) copy.Content.Headers.TryAddWithoutValidation(name, values);
            return copy;
        }
    }

    private static HttpRequestException TooLarge(Uri? from) => new(
        $"{(from is null ? "The server" : Origin(from))} answered {from?.AbsolutePath} with more than {BoundedHttp.Describe(BoundedHttp.MaxAnswerBytes)}, "
        + "far more than such an answer holds; Plue stopped reading it. The server is misbehaving or is not the one meant: check its address.");

    private static HttpResponseMessage Counted(HttpResponseMessage response, Action<IOException> cut)
    {
        var inner = response.Content;
        var counted = new StreamContent(new CountedStream(inner, response.RequestMessage?.RequestUri, cut));
        foreach (var (name, values) in inner.Headers) counted.Headers.TryAddWithoutValidation(name, values);
        response.Content = counted;
        return response;
    }

    /// <summary>A streamed answer, read through as it comes, refused past <see cref="BoundedHttp.MaxStreamBytes"/>.</summary>
    private sealed class CountedStream(HttpContent content, Uri? from, Action<IOException> cut) : Stream
    {
        private Stream? _inner;
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count((_inner ??= content.ReadAsStream()).Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _inner ??= await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return Count(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read <= BoundedHttp.MaxStreamBytes) return read;
            var tooMuch = new IOException($"{(from is null ? "The server" : from.GetLeftPart(UriPartial.Authority))} sent more than {BoundedHttp.Describe(BoundedHttp.MaxStreamBytes)} "
                + "in one answer; Plue stopped reading it. The server is misbehaving: check it, then try again.");
            cut(tooMuch);
            throw tooMuch;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner?.Dispose();
                content.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// A redirect the rule of <see cref="BoundedHttpHandler"/> would not follow: the server answered, so this is neither
/// "cannot reach" nor worth a retry; its message says what the server asked for and what to check.
/// </summary>
public sealed class RedirectRefusedException(string message) : HttpRequestException(message);
