using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace TTMall.Testing.Fuzzing;

/// <summary>One generated request and what it is, for the report.</summary>
/// <param name="MayBeCutOff">
/// A chunked body over the bound: Kestrel stops reading it, the server answers 413 and closes the connection, so the
/// client, still sending, may see the connection reset instead of the answer. Only then is no answer not a failure. (A
/// body whose declared length is over the bound is read and thrown away for a while after its 413, so its client
/// does read the answer.)
/// </param>
/// <param name="ProtocolStatus">
/// A 5xx that Kestrel sends by itself, before any application code runs, because HTTP says so: 505 for a request line
/// naming an HTTP version it does not speak (RFC 9110, 15.6.6).
/// </param>
public sealed record FuzzCase(int Number, string Description, Func<HttpRequestMessage>? Request, byte[]? Raw, bool MayBeCutOff, int? ProtocolStatus = null);

/// <summary>What came back for a <see cref="FuzzCase"/>: a status, or the transport error instead of one.</summary>
public sealed record FuzzOutcome(FuzzCase Case, int? Status, string? Error, string Excerpt)
{
    public bool Failed => (Status is >= 500 && Status != Case.ProtocolStatus) || (Status is null && !Case.MayBeCutOff);

    public override string ToString() =>
        $"#{Case.Number} {Case.Description} -> {(Status is { } s ? s.ToString(CultureInfo.InvariantCulture) : "no answer: " + Error)} {Excerpt}";
}

public sealed record FuzzReport(int Seed, IReadOnlyList<FuzzOutcome> Outcomes, TimeSpan Elapsed)
{
    public IReadOnlyList<FuzzOutcome> Failures => [.. Outcomes.Where(o => o.Failed)];

    /// <summary>How many answers of each status (0: none), e.g. "400×212, 404×31".</summary>
    public string Statuses => string.Join(", ", Outcomes.GroupBy(o => o.Status ?? 0).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));

    /// <summary>Every request and its answer, one a line.</summary>
    public string Log => string.Join("\n", Outcomes);

    public string Describe(string service) =>
        $"{service}: {Outcomes.Count} requests in {Elapsed.TotalSeconds:0.0} s with seed {Seed} (replay: {ApiFuzzer.SeedVariable}={Seed}); "
        + $"statuses {Statuses}; {Failures.Count} failed"
        + string.Concat(Failures.Take(20).Select(f => "\n  " + f));
}

/// <summary>
/// Sends a service generated bad requests, built from its operations (<see cref="ApiOperations"/>): malformed and
/// mistyped JSON, huge numbers, deep nesting, control characters and lone surrogates in strings, odd and missing content
/// types and charsets, oversized bodies, odd methods, paths, queries and headers, with a valid access token, a bad one or
/// none, and a few requests written by hand on a socket that no HttpClient would send. Everything is drawn from one
/// seeded <see cref="Random"/>, so a seed replays the same requests.
/// </summary>
/// <param name="accessToken">Makes a valid access token (a new user's, where any user will do); null: the service takes none.</param>
/// <param name="maxBodyBytes">The service's default bound on request bodies: a body over it may be cut off.</param>
public sealed partial class ApiFuzzer(Uri baseAddress, IReadOnlyList<ApiOperation> operations, int seed, Func<string>? accessToken, long maxBodyBytes)
{
    /// <summary>The environment variable that, when set, gives the seed (to replay a failed run).</summary>
    public const string SeedVariable = "TTMALL_FUZZ_SEED";

    private const int ExcerptLength = 200;

    private const int HttpVersionNotSupported = 505;

    private readonly Random _random = new(seed);

    /// <summary>The seed in <see cref="SeedVariable"/>, or a new one.</summary>
    public static int NewSeed() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next();

    public async Task<FuzzReport> RunAsync(int count, CancellationToken cancellationToken = default)
    {
        if (operations.Count == 0)
        {
            throw new InvalidOperationException("No operations to fuzz.");
        }

        var cases = Enumerable.Range(1, count).Select(Generate).ToList();
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(15),
        };
        var started = Stopwatch.GetTimestamp();
        var outcomes = new List<FuzzOutcome>(count);
        foreach (var @case in cases)
        {
            outcomes.Add(@case.Raw is { } raw ? await SendRawAsync(@case, raw, cancellationToken) : await SendAsync(http, @case, cancellationToken));
        }

        return new FuzzReport(seed, outcomes, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<FuzzOutcome> SendAsync(HttpClient http, FuzzCase @case, CancellationToken cancellationToken)
    {
        try
        {
            using var request = @case.Request!();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new FuzzOutcome(@case, (int)response.StatusCode, null, Excerpt(body));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new FuzzOutcome(@case, null, $"{e.GetType().Name}: {e.Message} {e.InnerException?.Message}", "");
        }
    }

    /// <summary>
    /// Writes the bytes on a new connection and reads until the head of a final answer (not a 100 Continue) has come, the
    /// server closes the connection, or 10 s pass. The sending side stays open: Kestrel takes a client's FIN as the end of
    /// the connection and answers nothing to a request that came before it.
    /// </summary>
    private async Task<FuzzOutcome> SendRawAsync(FuzzCase @case, byte[] raw, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
            await socket.SendAsync(raw, SocketFlags.None, timeout.Token);
            var buffer = new byte[16 * 1024];
            int read;
            while (FinalStatus(received) is null && (read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (FinalStatus(received) is null)
            {
                return new FuzzOutcome(@case, null, $"{e.GetType().Name}: {e.Message}", Excerpt(Encoding.Latin1.GetString(received.ToArray())));
            }
        }

        var text = Encoding.Latin1.GetString(received.ToArray());
        return FinalStatus(received) is { } status
            ? new FuzzOutcome(@case, status, null, Excerpt(text))
            : new FuzzOutcome(@case, null, $"closed with no final answer after {received.Length} bytes", Excerpt(text));
    }

    /// <summary>The status of the first answer in <paramref name="received"/> that is not interim (1xx) and whose head is complete.</summary>
    private static int? FinalStatus(MemoryStream received)
    {
        var text = Encoding.Latin1.GetString(received.GetBuffer(), 0, (int)received.Length);
        foreach (System.Text.RegularExpressions.Match match in StatusLine().Matches(text))
        {
            var status = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            if (status >= 200 && text.IndexOf("\r\n\r\n", match.Index, StringComparison.Ordinal) > 0)
            {
                return status;
            }
        }

        return null;
    }

    private static string Excerpt(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= ExcerptLength ? flat : flat[..ExcerptLength] + "…";
    }

    // ----- generation -----

    private FuzzCase Generate(int number)
    {
        // Half the requests go to operations that take a body, however few they are: most ways to be wrong are in a body.
        var withBody = operations.Where(o => o.Body is not null).ToList();
        var operation = withBody.Count > 0 && _random.Next(2) == 0 ? Pick(withBody) : Pick(operations);
        var roll = _random.Next(100);
        if (roll < 48 && operation.Body is null)
        {
            // An operation without a body: what would have been a body case goes to its query, path, method and headers.
            return Pick<Func<int, ApiOperation, FuzzCase>>([QueryCase, PathCase, HeaderCase, MethodCase])(number, operation);
        }

        return roll switch
        {
            < 24 => BodyFieldCase(number, operation),
            < 38 => WholeBodyCase(number, operation),
            < 48 => ContentTypeCase(number, operation),
            < 58 => QueryCase(number, operation),
            < 68 => PathCase(number, operation),
            < 76 => MethodCase(number, operation),
            < 86 => HeaderCase(number, operation),
            < 90 => OversizedCase(number, operation),
            _ => RawCase(number, operation),
        };
    }

    private FuzzCase BodyFieldCase(int number, ApiOperation operation)
    {
        var fields = operation.Body!.ToDictionary(p => p.Name, p => Utf8(GoodJson(p.Type)));
        var changed = new List<string>();
        var times = operation.Body!.Count == 0 ? 0 : 1 + _random.Next(Math.Min(2, operation.Body.Count));
        foreach (var property in operation.Body!.OrderBy(_ => _random.Next()).Take(times).ToList())
        {
            var (value, what) = BadJsonValue(property.Type);
            fields[property.Name] = value;
            changed.Add($"{property.Name}={what}");
        }

        if (_random.Next(6) == 0)
        {
            var (key, what) = Pick<(string, string)>([
                ("\"unknown\":1", "unknown property"), ("\"\\u0000\":1", "NUL property name"), ("\"\":\"\"", "empty property name"),
                ("\"__proto__\":{}", "__proto__"), ("\"$type\":\"System.Object\"", "$type")]);
            fields[key] = [];
            changed.Add(what);
        }

        var body = new List<byte>("{"u8.ToArray());
        if (operation.Body!.Count > 0 && _random.Next(8) == 0)
        {
            // The same property twice, a good value first: System.Text.Json takes the last.
            var twice = Pick(operation.Body!);
            body.AddRange(Utf8($"\"{twice.Name}\":{GoodJson(twice.Type)},"));
            changed.Add($"{twice.Name} twice");
        }

        var first = true;
        foreach (var (name, value) in fields)
        {
            if (!first)
            {
                body.Add((byte)',');
            }

            first = false;
            body.AddRange(value.Length == 0 ? Utf8(name) : Utf8($"\"{name}\":").Concat(value));
        }

        body.Add((byte)'}');
        return JsonCase(number, operation, [.. body], "application/json", $"body fields {string.Join(", ", changed)}");
    }

    private FuzzCase WholeBodyCase(int number, ApiOperation operation)
    {
        var good = GoodBody(operation);
        (byte[], string) choice = _random.Next(16) switch
        {
            0 => ([], "empty body"),
            1 => (Utf8(Pick(["{", "}", "[", "]", "{]", "[}", "{\"a\":}", "{,}", "{'a':1}", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", ",", ":"])), "broken JSON"),
            2 => (Utf8(Pick(["null", "true", "false", "0", "-1", "1e999", "\"text\"", "[]", "[{}]", "{}", "\"\\u0000\""])), "not an object"),
            3 => (Utf8(Pick(["{\"a\":1}garbage", "{}{}", "{} {}", "/* comment */ {}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}", "{\"a\":undefined}"])), "almost JSON"),
            4 => (Nested(Pick([65, 200, 1000, 3000]), "[", "]"), "deeply nested arrays"),
            5 => (Nested(Pick([65, 300, 1000]), "{\"a\":", "}"), "deeply nested objects"),
            6 => (RandomBytes(1 + _random.Next(2000)), "random bytes"),
            7 => ([0xEF, 0xBB, 0xBF, .. good], "UTF-8 BOM then a good body"),
            8 => (Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(good)), "the good body in UTF-16LE"),
            9 => (Encoding.UTF32.GetBytes(Encoding.UTF8.GetString(good)), "the good body in UTF-32"),
            10 => (good[..Math.Max(1, _random.Next(good.Length))], "a good body cut off"),
            11 => (Utf8("{" + string.Join(",", Enumerable.Range(0, 200 + _random.Next(600)).Select(i => $"\"p{i}\":{i}")) + "}"), "hundreds of properties"),
            12 => (Utf8("{\"" + new string('k', 2000 + _random.Next(4000)) + "\":1}"), "a very long property name"),
            13 => (Utf8("{\"n\":" + new string('9', 1000 + _random.Next(5000)) + "}"), "a number of thousands of digits"),
            14 => ([(byte)'{', (byte)'"', .. Pick<byte[]>([[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xFF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE4, 0xBD]]), (byte)'"', (byte)':', (byte)'1', (byte)'}'], "invalid UTF-8 in a property name"),
            _ => (Utf8("[" + string.Join(",", Enumerable.Repeat(Encoding.UTF8.GetString(good), 50)) + "]"), "an array of good bodies"),
        };
        var (body, what) = choice;
        return JsonCase(number, operation, body, "application/json", what);
    }

    private FuzzCase ContentTypeCase(int number, ApiOperation operation)
    {
        var contentType = Pick<string?>([
            null, "application/json; charset=bogus", "application/json; charset=ibm037", "application/json; charset=utf-16",
            "application/json; charset=utf-32", "application/json; charset=iso-8859-1", "application/json; charset=us-ascii",
            "application/json; charset=\"utf-8\"", "application/json; charset=UTF8", "application/json; charset=", "application/json; charset",
            "application/json;;;", "application/json; charset=utf-8; charset=utf-16", "application/json; charset=utf-7",
            "application/json; boundary=x", "application/JSON", "APPLICATION/JSON; CHARSET=BOGUS", "application/problem+json; charset=latin1",
            "application/merge-patch+json", "application/vnd.api+json; charset=ebcdic", "text/json", "text/plain", "text/plain; charset=bogus",
            "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=----x", "multipart/form-data",
            "*/*", "application/*", "json", "", "application/json, text/plain", "application/json; q=0.5", "application/octet-stream",
        ]);
        return JsonCase(number, operation, GoodBody(operation), contentType, $"content type {(contentType is null ? "(none)" : $"'{contentType}'")}");
    }

    private FuzzCase QueryCase(int number, ApiOperation operation)
    {
        var query = operation.Parameters.Where(p => p.In == "query").ToList();
        var parts = new List<string>();
        string what;
        if (query.Count > 0 && _random.Next(4) != 0)
        {
            var parameter = Pick(query);
            var value = BadQueryValue();
            parts.Add($"{parameter.Name}={value}");
            what = $"query {parameter.Name}={value}";
            if (_random.Next(3) == 0)
            {
                parts.Add($"{parameter.Name}={BadQueryValue()}");
                what += " twice";
            }
        }
        else
        {
            var junk = Pick(["%", "%zz", "a=%00", "=1", "&&&", "a", "a=1&a=2&a=3", "%00=1", "a[b]=1", "a=" + new string('x', 5000), "?", "#", "a=%ED%A0%80"]);
            parts.Add(junk);
            what = $"query junk {Shorten(junk)}";
        }

        return Simple(number, operation.Method, Path(operation) + "?" + string.Join("&", parts), what, operation);
    }

    private FuzzCase PathCase(int number, ApiOperation operation)
    {
        var path = operation.PathTemplate;
        var parameters = operation.Parameters.Where(p => p.In == "path").ToList();
        string what;
        if (parameters.Count > 0)
        {
            var parameter = Pick(parameters);
            var value = Pick([
                "0", "-1", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "abc", "%00", "1%00", "1.5", "1e3", "0x1",
                "%2F", "..", "%2E%2E", " 1", "1%20", "%ED%A0%80", "%C0%80", "%FF", "00000000-0000-0000-0000-000000000000", Guid.NewGuid().ToString(),
                "not-a-guid", "{" + Guid.NewGuid() + "}", new string('9', 300), "null", "undefined", "%E5%A5%BD",
            ]);
            path = Path(operation, parameter.Name, value);
            what = $"path {parameter.Name}={value}";
        }
        else
        {
            var suffix = Pick(["/", "//", "/%00", "/..", "/extra", "/%2e%2e/%2e%2e", ";x=1", "%20", "/%E5%A5%BD", "/" + new string('a', 3000)]);
            path = Path(operation) + suffix;
            what = $"path + {Shorten(suffix)}";
        }

        return Simple(number, operation.Method, path, what, operation);
    }

    private FuzzCase MethodCase(int number, ApiOperation operation)
    {
        var method = Pick(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "FOO", "get", "Post", "M-SEARCH"]);
        return Simple(number, method, Path(operation), $"method {method}", operation, withBody: operation.Body is not null && _random.Next(2) == 0);
    }

    private FuzzCase HeaderCase(int number, ApiOperation operation)
    {
        var (name, value) = Pick<(string, string)>([
            ("Accept", "application/xml"), ("Accept", "*/*;q=garbage"), ("Accept", "text/html, application/json;q=0"), ("Accept-Charset", "ibm037"),
            ("Accept-Encoding", "gzip, br, zstd, bogus"), ("Accept-Language", "zz-ZZ;q=2"), ("If-None-Match", "*"), ("If-None-Match", "garbage"),
            ("If-Modified-Since", "not a date"), ("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"), ("If-Match", "\"x\""),
            ("Range", "bytes=0-0"), ("Range", "bytes=-1"), ("Range", "bytes=999999999-"), ("Range", "bytes=garbage"), ("Range", "bytes=0-1,2-3,4-5,6-7"),
            ("Range", "bytes=5-1"), ("If-Range", "\"nope\""), ("X-Forwarded-For", "garbage"), ("X-Forwarded-For", "1.2.3.4, ::1, nonsense, 999.1.1.1"),
            ("X-Forwarded-For", string.Join(",", Enumerable.Repeat("10.0.0.1", 300))), ("X-Forwarded-Proto", "gopher"), ("X-Forwarded-Host", "evil.example"),
            ("X-HTTP-Method-Override", "DELETE"), ("Idempotency-Key", new string('k', 2000)), ("Cookie", "a=b; ; =; c"), ("Origin", "null"),
            ("Content-Language", "xx"), ("Content-Encoding", "gzip"), ("Content-Encoding", "br"), ("Content-Encoding", "bogus"),
            ("Content-MD5", "nope"), ("Expect", "100-continue"), ("Expect", "bogus"), ("X-Long", new string('x', 7000)),
            ("Authorization", "Bearer"), ("Authorization", "Bearer "), ("Authorization", "Basic Zm9vOmJhcg=="), ("Authorization", "Bearer a.b.c"),
            ("Authorization", "Bearer " + new string('A', 6000)), ("Authorization", "Negotiate abc"), ("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."),
            ("Authorization", "Bearer " + (accessToken is null ? "x" : accessToken()[..^4] + "AAAA")),
            ("Connection", "close"), ("Connection", "upgrade"), ("Upgrade", "websocket"), ("TE", "trailers"), ("Max-Forwards", "-1"),
        ]);
        // Sometimes with a body that is refused, so the header meets the error paths too.
        var broken = operation.Body is not null && _random.Next(3) == 0;
        var @case = Simple(number, operation.Method, Path(operation), $"header {name}: {Shorten(value)}{(broken ? ", broken body" : "")}", operation,
            withBody: operation.Body is not null, brokenBody: broken);
        var make = @case.Request!;
        return @case with
        {
            Request = () =>
            {
                var request = make();
                if (name == "Authorization")
                {
                    request.Headers.Authorization = null;
                }

                if (name.StartsWith("Content-", StringComparison.Ordinal))
                {
                    request.Content ??= new ByteArrayContent([]);
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
                else
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                return request;
            },
        };
    }

    private FuzzCase OversizedCase(int number, ApiOperation operation)
    {
        var size = (int)Pick<long>([maxBodyBytes + 1, maxBodyBytes * 2, 64 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024]);
        var chunked = _random.Next(2) == 0;
        var good = GoodBody(operation);
        var padding = Math.Max(0, size - good.Length - 20);
        byte[] body = [.. "{\"padding\":\""u8, .. Enumerable.Repeat((byte)'x', padding), .. "\","u8, .. good.AsSpan(1)];
        var method = operation.Body is null ? Pick(["POST", "PUT", operation.Method]) : operation.Method;
        var path = Path(operation);
        var token = Token(out var tokenWhat);
        return new FuzzCase(number, $"{method} {path}: {body.Length} bytes{(chunked ? ", chunked" : "")}, {tokenWhat}", () =>
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }

            Authorize(request, token);
            return request;
        }, null, MayBeCutOff: chunked);
    }

    private FuzzCase RawCase(int number, ApiOperation operation)
    {
        var path = Path(operation);
        var host = $"{baseAddress.Host}:{baseAddress.Port}";
        var authorization = accessToken is not null && _random.Next(2) == 0 ? $"Authorization: Bearer {accessToken()}\r\n" : "";
        // Written as UTF-8 after the head (Latin-1), so the lengths below are its bytes.
        var goodBytes = GoodBody(operation);
        const string good = "\u0001BODY\u0001";
        var goodLength = goodBytes.Length;
        var (head, what) = Pick<(string, string)>([
            ($"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n", "negative Content-Length"),
            ($"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n", "Content-Length not a number"),
            ($"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{{}}", "two Content-Lengths"),
            ($"{operation.Method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "Content-Length and chunked"),
            ($"{operation.Method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "gzip, chunked"),
            ($"{operation.Method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{{}}\r\n0\r\n\r\n", "a bad chunk size"),
            ($"{operation.Method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json; charset=\u00ff\r\nContent-Length: {goodLength}\r\n\r\n{good}", "a Latin-1 byte in the charset"),
            ($"{operation.Method} {path} HTTP/1.1\r\nHost: {host}\r\nX-Bad: a\0b\r\n\r\n", "NUL in a header"),
            ($"{operation.Method} {path} HTTP/1.1\r\nHost: {host}\r\nX-Caf\u00e9: 1\r\n\r\n", "a Latin-1 byte in a header name"),
            ($"{operation.Method} {path} HTTP/1.1\nHost: {host}\n\n", "bare LF line ends"),
            ($"{operation.Method} {path} HTTP/1.1\r\nHost: {host}\r\nX-A: 1\r\n folded\r\n\r\n", "an obs-folded header"),
            ($"{operation.Method} {path} HTTP/1.0\r\n\r\n", "HTTP/1.0 without Host"),
            ($"{operation.Method} {path} HTTP/1.1\r\n\r\n", "HTTP/1.1 without Host"),
            ($"{operation.Method} {path} HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "two Hosts"),
            ($"{operation.Method} {path} HTTP/2.0\r\nHost: {host}\r\n\r\n", "HTTP/2.0 on an HTTP/1 line"),
            ($"{operation.Method} {path} HTTP/9.9\r\nHost: {host}\r\n\r\n", "HTTP/9.9"),
            ($"{operation.Method.ToLowerInvariant()} {path} HTTP/1.1\r\nHost: {host}\r\n\r\n", "lower-case method"),
            ($"CONNECT {path} HTTP/1.1\r\nHost: {host}\r\n\r\n", "CONNECT"),
            ($"OPTIONS * HTTP/1.1\r\nHost: {host}\r\n\r\n", "OPTIONS *"),
            ($"{operation.Method} http://evil.example{path} HTTP/1.1\r\nHost: {host}\r\n\r\n", "absolute-form target"),
            ($"{operation.Method} {path}#fragment HTTP/1.1\r\nHost: {host}\r\n\r\n", "a fragment in the target"),
            ($"{operation.Method} {path}?q=\u00e9 HTTP/1.1\r\nHost: {host}\r\n\r\n", "a raw Latin-1 byte in the query"),
            ($"{operation.Method} {path}?{new string('a', 9000)} HTTP/1.1\r\nHost: {host}\r\n\r\n", "a 9 KB request line"),
            ($"{operation.Method} {path} HTTP/1.1\r\nHost: {host}\r\nX-Big: {new string('b', 40_000)}\r\n\r\n", "a 40 KB header"),
            ($"HEAD {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {goodLength}\r\n\r\n{good}", "HEAD with a body"),
            ($"{operation.Method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: {goodLength}\r\n\r\n{good}", "Expect: 100-continue with the body at once"),
        ]);
        var versionNotSpoken = what is "HTTP/2.0 on an HTTP/1 line" or "HTTP/9.9";
        if (authorization.Length > 0)
        {
            var lineEnd = head.IndexOf('\n', StringComparison.Ordinal) + 1;
            head = head[..lineEnd] + authorization + head[lineEnd..];
            what += ", with a token";
        }

        var at = head.IndexOf(good, StringComparison.Ordinal);
        byte[] raw = at < 0 ? Encoding.Latin1.GetBytes(head) : [.. Encoding.Latin1.GetBytes(head[..at]), .. goodBytes, .. Encoding.Latin1.GetBytes(head[(at + good.Length)..])];
        return new FuzzCase(number, $"raw {operation.Method} {path}: {what}", null, raw, MayBeCutOff: false,
            ProtocolStatus: versionNotSpoken ? HttpVersionNotSupported : null);
    }

    // ----- pieces -----

    private FuzzCase JsonCase(int number, ApiOperation operation, byte[] body, string? contentType, string what)
    {
        var path = Path(operation);
        var token = Token(out var tokenWhat);
        return new FuzzCase(number, $"{operation.Method} {path}: {what}, {tokenWhat}", () =>
        {
            var request = new HttpRequestMessage(new HttpMethod(operation.Method), path) { Content = new ByteArrayContent(body) };
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            Authorize(request, token);
            return request;
        }, null, MayBeCutOff: false);
    }

    /// <summary>A request with a good body when the operation takes one (<paramref name="withBody"/>), and a token (or not).</summary>
    private FuzzCase Simple(int number, string method, string path, string what, ApiOperation operation, bool? withBody = null, bool brokenBody = false)
    {
        var body = withBody ?? operation.Body is not null ? (brokenBody ? Utf8("{\"") : GoodBody(operation)) : null;
        var token = Token(out var tokenWhat);
        return new FuzzCase(number, $"{method} {path}: {what}, {tokenWhat}", () =>
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            Authorize(request, token);
            return request;
        }, null, false);
    }

    private string? Token(out string what)
    {
        var roll = _random.Next(20);
        var valid = accessToken?.Invoke();
        (var token, what) = roll switch
        {
            < 13 when valid is not null => (valid, "valid token"),
            < 16 => (null, "no token"),
            16 => ("not-a-jwt", "garbage token"),
            17 when valid is not null => (valid[..^2] + (valid[^2] == 'A' ? "BB" : "AA"), "token with a broken signature"),
            18 => ("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAifQ.", "unsigned token"),
            _ => (valid, valid is null ? "no token" : "valid token"),
        };
        return token;
    }

    private static void Authorize(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }
    }

    private string Path(ApiOperation operation, string? badName = null, string? badValue = null)
    {
        var path = operation.PathTemplate;
        foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
        {
            var value = parameter.Name == badName ? badValue! : GoodPathValue(parameter);
            path = path.Replace("{" + parameter.Name + "}", value, StringComparison.Ordinal);
        }

        return path;
    }

    private string GoodPathValue(ApiParameter parameter) => parameter.Type switch
    {
        "integer" => (1 + _random.Next(70)).ToString(CultureInfo.InvariantCulture),
        _ when parameter.Format == "uuid" => Guid.NewGuid().ToString(),
        _ => "x",
    };

    private byte[] GoodBody(ApiOperation operation) =>
        Utf8("{" + string.Join(",", (operation.Body ?? []).Select(p => $"\"{p.Name}\":{GoodJson(p.Type)}")) + "}");

    private string GoodJson(string type) => type switch
    {
        "integer" => (1 + _random.Next(5)).ToString(CultureInfo.InvariantCulture),
        "number" => "1.5",
        "boolean" => "true",
        "object" => "{}",
        "array" => "[]",
        _ => Pick(["\"好\"", "\"test\"", "\"13800138000\"", "\"fuzz@example.test\"", "\"浙江省\"", "\"kaixin2026\""]),
    };

    /// <summary>A JSON value (as bytes, since some are not valid UTF-8) that a field of the type should not accept.</summary>
    private (byte[] Json, string What) BadJsonValue(string type)
    {
        if (_random.Next(3) == 0)
        {
            // Any value of a wrong type.
            var wrong = Pick(["null", "true", "[]", "{}", "[1,2]", "{\"a\":1}", "\"\"", "\"1\"", "1", "-1", "0.5"]);
            return (Utf8(wrong), wrong);
        }

        if (type is "integer" or "number")
        {
            var number = Pick([
                "0", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e400", "-1e400", "1e308", "1.5", "1e2", "0.0", "-0",
                "00", "0x10", "+1", ".5", "5.", "1E+2", "\"1\"", "\"1e3\"", "\"\"", "\" 1\"", "NaN", "\"NaN\"", "Infinity", "\"-Infinity\"",
                "99999999999999999999999999999999999999999999", "4.9e-324", "1" + new string('0', 400),
            ]);
            return (Utf8(number), number);
        }

        var roll = _random.Next(10);
        if (roll == 0)
        {
            // Bytes that are not UTF-8 inside a string.
            var bytes = Pick<byte[]>([[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xFF], [0xFE, 0xFF], [0xE4, 0xBD], [0xF4, 0x90, 0x80, 0x80], [0x80]]);
            return ([(byte)'"', (byte)'a', .. bytes, (byte)'b', (byte)'"'], $"invalid UTF-8 {Convert.ToHexString(bytes)}");
        }

        if (roll == 1)
        {
            var length = Pick([101, 300, 2001, 5000]);
            return (Utf8($"\"{new string('长', length)}\""), $"{length} characters");
        }

        var text = _random.Next(2) == 0
            // Characters no text may hold, as a JSON escape: what a database refuses, or cannot even encode.
            ? Pick(["\\u0000", "a\\u0000b", "好\\u0000", "\\u0001", "\\u0007", "\\u001b[31m", "\\u007f", "\\u0085", "\\ud800", "a\\udfff", "\\ud83d", "a\\ud83dz"])
            : Pick([
            "\\u0000", "a\\u0000b", "\\u0001", "\\u0007", "\\u0008", "\\u001b[31mred", "\\u007f", "\\u0085", "\\u009f", "line\\nbreak", "tab\\there",
            "\\r\\n", "\\u2028", "\\u2029", "\\ud800", "\\udfff", "a\\ud83d", "\\ude00a", "\\ud83d\\ud83d", "\\ud83d\\ude00", "\\u202e", "\\u200b",
            "\\ufeff", "\\uffff", "\\ufffe", "' OR 1=1 --", "%", "%%", "_", "\\\\", "<script>alert(1)</script>", "${jndi:x}", "   ", "\\t",
            "\\u3000", "💥", "a\\\"b", "../../etc/passwd", "{{7*7}}",
        ]);
        return (Utf8($"\"{text}\""), text);
    }

    private string BadQueryValue() => _random.Next(2) == 0
        // Characters no text may hold, alone or among others: what a database refuses.
        ? Pick(["%00", "a%00b", "%E9%94%AE%00", "%01", "%07", "%1B", "%7F", "%C2%85", "%0A", "%0D%0A", "%09", "a%09b", "%ED%A0%80", "%C0%80", "%FF", "%E4%BD"])
        : Pick([
        "%00", "a%00b", "%01", "%07", "%1B", "%7F", "%C2%85", "%E2%80%A8", "%0A", "%0D%0A", "%09", "%ED%A0%80", "%C0%80", "%FF", "%E4%BD", "%",
        "%zz", "%2", "%25", "%u0000", "0", "-1", "2147483648", "99999999999999999999", "1e3", "1.5", "NaN", "Infinity", "-0", "0x10", "+1", " 1",
        "1%20", "%20", "", "true", "null", "[]", "{}", "a,b", "%E5%A5%BD", new string('x', 101), new string('好', 101), new string('x', 4000),
        "%27%20OR%201%3D1%20--", "%5C", "_", "%2F..%2F", "%3Cscript%3E", "%F0%9F%92%A5",
    ]);

    private static byte[] Nested(int depth, string openText, string closeText)
    {
        var builder = new StringBuilder(depth * (openText.Length + closeText.Length) + 1);
        for (var i = 0; i < depth; i++)
        {
            builder.Append(openText);
        }

        builder.Append('1');
        for (var i = 0; i < depth; i++)
        {
            builder.Append(closeText);
        }

        return Utf8(builder.ToString());
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(IReadOnlyList<T> choices) => choices[_random.Next(choices.Count)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [System.Text.RegularExpressions.GeneratedRegex(@"^HTTP/\d\.\d (\d{3})", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex StatusLine();

    private static string Shorten(string text) => text.Length <= 40 ? text : $"{text[..20]}…({text.Length} chars)";
}
