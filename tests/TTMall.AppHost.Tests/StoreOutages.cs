using System.Diagnostics;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace TTMall.AppHost.Tests;

/// <summary>
/// A store stopped under the services that use it, as a person would from the dashboard: while it is down a request
/// that needs it is a 503 problem (never a 500, never a hang), and once it is started again the same processes serve
/// it without being restarted.
/// </summary>
internal sealed class StoreOutages(DistributedApplication app, ITestOutputHelper output, ServiceLogLines logs)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public async Task StopAndStartAsync(string store, HttpClient client, IReadOnlyList<string> paths, CancellationToken ct)
    {
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var clock = Stopwatch.StartNew();
        var stopped = await commands.ExecuteCommandAsync(store, KnownResourceCommands.StopCommand, ct);
        Assert.True(stopped.Success, $"stopping {store}: {stopped.Message}");
        foreach (var path in paths)
        {
            await AnswersAsync(client, path, HttpStatusCode.ServiceUnavailable, ct, logs);
        }

        output.WriteLine($"{store} stopped: {string.Join(", ", paths)} answered 503 problems within {clock.Elapsed.TotalSeconds:F1} s");

        clock.Restart();
        var started = await commands.ExecuteCommandAsync(store, KnownResourceCommands.StartCommand, ct);
        Assert.True(started.Success, $"starting {store}: {started.Message}");
        foreach (var path in paths)
        {
            await AnswersAsync(client, path, HttpStatusCode.OK, ct, logs);
        }

        output.WriteLine($"{store} started again: {string.Join(", ", paths)} answered 200 within {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Asks until <paramref name="path"/> answers <paramref name="expected"/>; meanwhile only 200 or 503 problems are acceptable.</summary>
    private static async Task AnswersAsync(HttpClient client, string path, HttpStatusCode expected, CancellationToken ct, ServiceLogLines logs)
    {
        var deadline = DateTime.UtcNow + Deadline;
        var seen = new List<string>();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            using var response = await client.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
            else
            {
                // What the service behind the path and the gateway said meanwhile tells why.
                var service = path.Split('/', StringSplitOptions.RemoveEmptyEntries)[1].Split('?')[0];
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}\n" + string.Join("\n",
                    logs.LinesIn(logs.Phase).Where(l => l.StartsWith(service, StringComparison.Ordinal) || l.StartsWith("gateway", StringComparison.Ordinal)).TakeLast(150)));
            }

            if (response.StatusCode == expected)
            {
                return;
            }

            seen.Add($"{(int)response.StatusCode}");
            Assert.True(DateTime.UtcNow < deadline, $"{path} did not answer {(int)expected} within {Deadline.TotalSeconds} s: {string.Join(" ", seen.TakeLast(20))}");
            await Task.Delay(250, ct);
        }
    }
}
