using System.Text;
using Xunit.Abstractions;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>
/// A registry server that answers 200 with a document no one can take (not JSON, cut short, too large, the wrong
/// shape), as a delta or as the full fetch a delta called for: the client keeps routing on its last good copy, keeps
/// asking at its usual pace, and takes good data at the next fetch once it is back.
/// </summary>
public sealed class BrokenDocumentTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(3);
    private const long MiB = 1024 * 1024;

    /// <summary>A delta no copy can add up to: the client must then fetch the whole registry.</summary>
    private static readonly FakeReply Disagreeing = FakeReply.Text("""{"applications":{"versions__delta":"1","apps__hashcode":"UP_99_","application":[]}}""");

    // The wrong shapes declare a hashcode the client's copy does not have: a reader that skipped what it could not read
    // would take them for an empty registry, and lose the good instance.
    private static readonly Dictionary<string, Func<string, FakeReply>> Documents = new()
    {
        ["not JSON"] = _ => FakeReply.Text("<html><body>502 Bad Gateway</body></html>"),
        ["empty"] = _ => FakeReply.Text(""),
        ["truncated"] = good => FakeReply.Text(good[..(good.Length / 2)]),
        ["truncated, chunked"] = good => FakeReply.Chunked(Encoding.UTF8.GetBytes(good[..(good.Length / 2)])),
        ["cut off before its Content-Length"] = good => new FakeReply(Encoding.UTF8.GetBytes(good[..(good.Length / 2)]), Encoding.UTF8.GetByteCount(good)),
        ["20 MB, chunked"] = good => Huge(good, 20 * MiB, chunked: true),
        ["20 MB, with its length"] = good => Huge(good, 20 * MiB, chunked: false),
        ["256 MB, chunked"] = good => Huge(good, 256 * MiB, chunked: true),
        ["applications as a string"] = _ => FakeReply.Text("""{"applications":"PRODUCTS"}"""),
        ["application as a number"] = _ => FakeReply.Text("""{"applications":{"versions__delta":"1","apps__hashcode":"UP_7_","application":7}}"""),
        ["instance as a number"] = _ => FakeReply.Text("""{"applications":{"versions__delta":"1","apps__hashcode":"UP_7_","application":[{"name":"PRODUCTS","instance":42}]}}"""),
        ["instances as strings"] = _ => FakeReply.Text("""{"applications":{"versions__delta":"1","apps__hashcode":"UP_7_","application":[{"name":"PRODUCTS","instance":["products-good"]}]}}"""),
        ["no application list"] = _ => FakeReply.Text("""{"applications":{"versions__delta":"1","apps__hashcode":"UP_7_"}}"""),
        ["an error object"] = _ => FakeReply.Text("""{"error":"registry unavailable"}"""),
        ["an array"] = _ => FakeReply.Text("""[{"applications":{}}]"""),
        ["a number"] = _ => FakeReply.Text("404"),
        ["null"] = _ => FakeReply.Text("null"),
    };

    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var document in Documents.Keys)
            {
                cases.Add("delta", document);
                cases.Add("full fetch", document);
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_document_that_cannot_be_read_leaves_the_last_good_copy_in_use_until_good_data_returns(string servedAs, string document)
    {
        await using var good = await NamedServer.StartAsync(HostileRegistry.GoodId);
        await using var good2 = await NamedServer.StartAsync("products-good-2");
        await using var fake = await FakeEureka.StartAsync();
        fake.Set([HostileRegistry.Good(HostileRegistry.GoodId, good.Port)]);
        await using var caller = await TestService.StartAsync(new TestServiceOptions(fake.EurekaUri.ToString()) { AppName = "web", InstanceId = "web-1" });
        await Eventually.HoldsAsync(() => caller.RoutableInstances(HostileRegistry.Vip).Count == 1, Soon, "the good instance routable", () => caller.Log);

        using var http = caller.CreateClient();
        await using var traffic = Traffic.Start(http, "http://products/whoami");
        var broken = Documents[document](fake.FullDocument());
        var full = servedAs == "full fetch";
        Func<int> brokenServed = full ? () => fake.FullFetches : () => fake.DeltaFetches;
        var before = brokenServed();
        if (full)
        {
            fake.DeltaReply = Disagreeing;
            fake.FullReply = broken;
        }
        else
        {
            fake.DeltaReply = broken;
        }

        // Five broken documents, at the client's pace (a fetch every 0.2 s): a broken document is no reason to wait longer.
        var fiveBroken = await Eventually.HoldsAsync(() => brokenServed() >= before + 5, Soon, "five broken documents served", () => caller.Log + "\n" + fake);
        Assert.Equal([HostileRegistry.GoodId], caller.RoutableInstances(HostileRegistry.Vip).Select(i => i.InstanceId));
        var servedBefore = good.Served;
        await Eventually.HoldsAsync(() => good.Served > servedBefore + 10, Soon, "the good instance still serves", () => caller.Log);

        // Good data again, with one more instance: taken at the next fetch.
        fake.Add(HostileRegistry.Good("products-good-2", good2.Port));
        fake.DeltaReply = null;
        fake.FullReply = null;
        var takenAfter = await Eventually.HoldsAsync(() => good2.Served > 0, Soon, "the new instance serves once good data is back", () => caller.Log + "\n" + fake);

        await traffic.StopAsync();
        Assert.True(traffic.Failures.Count == 0, Traffic.Describe(traffic.Failures) + "\n" + caller.Log);
        using var direct = new HttpClient();
        Assert.Equal("web-1", await direct.GetStringAsync($"http://127.0.0.1:{caller.Port}/whoami"));
        HostileRegistryTests.Report(output,
            $"{document}, as the {servedAs}: five served in {fiveBroken.TotalMilliseconds:0} ms; good data taken {takenAfter.TotalMilliseconds:0} ms after it was back; " +
            $"{traffic.Succeeded} requests, {traffic.Failures.Count} failed; fetches: {fake.FullFetches} full, {fake.DeltaFetches} delta; " +
            $"most sent on one connection {fake.MostSentOnOneConnection / (double)MiB:0.0} MiB of {broken.Length / (double)MiB:0.0}");
        // A few fetches (every 0.2 s), with headroom for a loaded machine.
        Assert.True(takenAfter < TimeSpan.FromSeconds(2), $"good data taken only {takenAfter.TotalMilliseconds:0} ms after it was back (fetch every 0.2 s):\n{caller.Log}");
        Assert.True(fiveBroken < TimeSpan.FromSeconds(2.5), $"five broken documents took {fiveBroken.TotalMilliseconds:0} ms to ask for (fetch every 0.2 s):\n{caller.Log}");
        // The client stops reading at its 16 MB limit; what more it took is what the sockets hold.
        Assert.True(fake.MostSentOnOneConnection < 48 * MiB, $"the client read {fake.MostSentOnOneConnection / (double)MiB:0.0} MiB of one reply");
    }

    /// <summary>A well-formed registry document of <paramref name="bytes"/>: the good one, plus an instance carrying that much metadata.</summary>
    private static FakeReply Huge(string good, long bytes, bool chunked)
    {
        var huge = HostileRegistry.Instance(HostileRegistry.App, "products-huge", 1);
        huge["metadata"] = new System.Text.Json.Nodes.JsonObject { ["padding"] = "@@PADDING@@" };
        var at = good.LastIndexOf("]}]}}", StringComparison.Ordinal);
        var whole = good[..at] + "," + huge.ToJsonString() + good[at..];
        var split = whole.IndexOf("@@PADDING@@", StringComparison.Ordinal);
        var head = Encoding.UTF8.GetBytes(whole[..split]);
        var tail = Encoding.UTF8.GetBytes(whole[(split + "@@PADDING@@".Length)..]);
        var padding = bytes - head.Length - tail.Length;
        return new FakeReply(head, chunked ? null : head.Length + padding + tail.Length, padding, tail);
    }
}
