using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TTMall.Testing;

/// <summary>Checks every service's HTTP API must pass whatever it does: HEAD, charsets, bounded bodies.</summary>
public static class HttpChecks
{
    /// <summary>Charsets a JSON body may declare that are not UTF-8 (415 everywhere): unknown, EBCDIC, UTF-16, Latin-1, empty.</summary>
    public static TheoryData<string> CharsetsOtherThanUtf8 => ["bogus", "ibm037", "utf-16", "iso-8859-1", ""];

    /// <summary>Ways a JSON body may say it is UTF-8, all taken: no charset, either case, quoted, without the hyphen.</summary>
    public static TheoryData<string?> WaysToWriteUtf8 => [null, "utf-8", "UTF-8", "\"utf-8\"", "utf8"];

    /// <summary>A JSON body with the charset given in its Content-Type (null: none).</summary>
    public static ByteArrayContent Json(string json, string? charset = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.TryAddWithoutValidation("Content-Type", charset is null ? "application/json" : $"application/json; charset={charset}");
        return content;
    }

    /// <summary>A JSON body sent chunked: its length is not said up front, so the server knows it only once it has read it.</summary>
    public static HttpContent Chunked(string json) => new ChunkedContent(Encoding.UTF8.GetBytes(json));

    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _body;

        public ChunkedContent(byte[] body)
        {
            _body = body;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>A 415 whose problem details (RFC 9457) say that only UTF-8 JSON is accepted.</summary>
    public static async Task AssertOnlyUtf8JsonAsync(HttpResponseMessage response)
    {
        var problem = await ProblemAssert.StatusAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("UTF-8", problem.Detail);
    }

    /// <summary>
    /// HEAD answers as GET does, without the body, and leaves the connection usable: on one kept-alive connection, a
    /// HEAD of <paramref name="path"/> is answered with GET's status and headers (all but those listed in
    /// <see cref="NotCompared"/>), and the next bytes on the connection are the answer to a GET sent after it.
    /// </summary>
    /// <returns>The status of both.</returns>
    /// <param name="differing">Headers that may differ between any two answers (which replica answered, behind a gateway).</param>
    public static async Task<int> AssertHeadAnswersAsGetAsync(Uri baseAddress, string path, string? accessToken = null, params string[] differing)
    {
        var authorization = accessToken is null ? "" : $"Authorization: Bearer {accessToken}\r\n";
        var host = $"Host: {baseAddress.Host}:{baseAddress.Port}\r\n";
        var get = Parse(await ExchangeAsync(baseAddress, $"GET {path} HTTP/1.1\r\n{host}{authorization}Connection: close\r\n\r\n"));
        var both = await ExchangeAsync(baseAddress,
            $"HEAD {path} HTTP/1.1\r\n{host}{authorization}\r\nGET /alive HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
        var head = Parse(both);

        Assert.True(get.Status == head.Status, $"HEAD {path}: {head.Status}, GET: {get.Status}");
        Assert.Equal(Comparable(get.Headers, differing), Comparable(head.Headers, differing));
        Assert.True(head.After.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal),
            $"HEAD {path} was not followed at once by the next answer on its connection (a body, or a closed connection): {Excerpt(head.After)}");
        if (get.Headers.TryGetValue("content-length", out var length) && length != "0")
        {
            Assert.NotEqual("", get.After);
        }

        return head.Status;
    }

    /// <summary>Date changes; Transfer-Encoding describes a body; Connection answers how each request asked to be treated.</summary>
    private static readonly string[] NotCompared = ["date", "transfer-encoding", "connection"];

    private static string Comparable(Dictionary<string, string> headers, string[] differing) =>
        string.Join("\n", headers.Where(h => !NotCompared.Contains(h.Key) && !differing.Contains(h.Key, StringComparer.OrdinalIgnoreCase)).OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}: {h.Value}"));

    private static async Task<string> ExchangeAsync(Uri baseAddress, string request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, timeout.Token);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>The first response in <paramref name="text"/>: status, headers (names in lower case), and everything after its header block.</summary>
    private static (int Status, Dictionary<string, string> Headers, string After) Parse(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no complete response: {Excerpt(text)}");
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .GroupBy(parts => parts[0].Trim().ToLowerInvariant(), parts => parts[1].Trim())
            .ToDictionary(g => g.Key, g => string.Join(", ", g));
        return (status, headers, text[(end + 4)..]);
    }

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
