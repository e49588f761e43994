using System.Net;
using Xunit.Abstractions;

namespace TTMall.Testing.Fuzzing;

/// <summary>What every service's fuzz test does: its operations from its OpenAPI document, a few hundred bad requests, no 5xx.</summary>
public static class ServiceFuzzing
{
    /// <summary>About a second or two of requests on this machine; the oversized bodies take most of it.</summary>
    public const int Requests = 400;

    /// <summary>
    /// Sends <paramref name="requests"/> generated bad requests (<see cref="ApiFuzzer"/>) to the service at
    /// <paramref name="baseAddress"/> and asserts that none was answered with a 5xx (or not at all, unless its body was over
    /// the bound), and that the service is still alive and healthy afterwards. Every request and its answer go to the test's
    /// output; the failure message names the seed that replays them.
    /// </summary>
    public static async Task AssertNoServerErrorsAsync(
        string service, Uri baseAddress, Func<string>? accessToken, long maxBodyBytes, ITestOutputHelper output, int requests = Requests)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress };
        var operations = await ApiOperations.ReadAsync(http);
        Assert.NotEmpty(operations);
        var fuzzer = new ApiFuzzer(baseAddress, operations, ApiFuzzer.NewSeed(), accessToken, maxBodyBytes);

        var report = await fuzzer.RunAsync(requests);

        output.WriteLine(report.Describe(service));
        output.WriteLine("operations: " + string.Join("; ", operations.Select(o =>
            $"{o} ({string.Join(", ", o.Parameters.Select(p => $"{p.In} {p.Name}: {p.Type}").Concat((o.Body ?? []).Select(p => $"body {p.Name}: {p.Type}")))})")));
        output.WriteLine(report.Log);
        Assert.True(report.Failures.Count == 0, report.Describe(service));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }
}
