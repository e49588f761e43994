using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TTMall.Hosting;
using Xunit.Abstractions;

namespace TTMall.AppHost.Tests;

/// <summary>The whole mall in local mode, as the AppHost starts it: real Postgres, Redis and RabbitMQ from the machine's packages.</summary>
public class MallLifecycleTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Mall_starts_healthy_serves_through_discovery_and_the_gateway_rides_out_its_stores_restarting_and_leaves_no_process_when_disposed()
    {
        var frontDoor = TcpPorts.PickFree();
        using var data = new TestDataRoot();
        // Starting, then the checks, two store outages among them.
        using var timeout = new CancellationTokenSource(StartTimeout + TimeSpan.FromMinutes(5));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TTMall_AppHost>(
            ["--TTMall:Infrastructure=Local", $"--TTMall:DataRoot={data.Path}", "--TTMall:Replicas=2",
             $"--TTMall:Ports:Discovery1={TcpPorts.PickFree()}", $"--TTMall:Ports:Discovery2={TcpPorts.PickFree()}",
             $"--TTMall:Ports:Gateway={frontDoor}"], timeout.Token);
        // Resource consoles (where servers log to stderr) and the health probes that fail until a server is up
        // belong to the dashboard; the test output keeps the AppHost's own warnings and errors.
        // The mall's own processes are listened to separately: a clean start and a clean stop log no warning or error.
        var serviceLines = new ServiceLogLines();
        builder.Services.AddLogging(logging => logging
            .AddProvider(serviceLines)
            .AddFilter((provider, category, level) => provider == typeof(ServiceLogLines).FullName
                ? ServiceLogLines.IsMallProcess(category)
                : level >= LogLevel.Warning
                  && category?.StartsWith("TTMall.AppHost.Resources.", StringComparison.Ordinal) != true
                  && category?.StartsWith("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal) != true));
        var app = await builder.BuildAsync(timeout.Token);
        IReadOnlyList<ProcessTable.Entry> started;
        await using (app)
        {
            var clock = Stopwatch.StartNew();
            await app.StartAsync(timeout.Token);
            IReadOnlyList<string> waiting = [];
            using var starting = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            starting.CancelAfter(StartTimeout);
            try
            {
                await foreach (var stillWaiting in MallReadiness.WatchAsync(
                                   app.Services.GetRequiredService<DistributedApplicationModel>(),
                                   app.Services.GetRequiredService<ResourceNotificationService>(),
                                   starting.Token))
                {
                    waiting = stillWaiting;
                }
            }
            catch (OperationCanceledException)
            {
                // The last words of the services still waiting (a replica that exited says why there).
                var services = waiting.Select(w => w.Split(' ')[0] + "-").ToList();
                Assert.Fail($"not healthy within {StartTimeout.TotalMinutes} min: {string.Join(", ", waiting)}\n" + string.Join("\n",
                    serviceLines.LinesIn("start").Where(l => services.Any(s => l.StartsWith(s, StringComparison.Ordinal))).TakeLast(120)));
            }

            output.WriteLine($"every resource healthy {clock.Elapsed.TotalSeconds:F1} s after start (fresh data)");

            var names = builder.Resources.Select(r => r.Name).ToHashSet();
            Assert.Superset(new HashSet<string> { "postgres", "productsdb", "usersdb", "ordersdb", "paymentsdb", "providerdb", "redis", "rabbitmq", "discovery1", "discovery2", "products", "users", "carts", "orders", "payments", "payment-provider", "gateway" }, names);

            var servedBy = new HashSet<string>();
            using var http = app.CreateHttpClient("products");
            for (var i = 0; i < 40 && servedBy.Count < 2; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products");
                request.Headers.ConnectionClose = true;
                using var response = await http.SendAsync(request, timeout.Token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                Assert.Contains("Cherry MX 机械键盘", body);
                servedBy.Add(Assert.Single(response.Headers.GetValues("X-TTMall-Instance")));
            }

            output.WriteLine($"served by: {string.Join(", ", servedBy)}");
            Assert.Equal(2, servedBy.Count);
            Assert.All(servedBy, id => Assert.StartsWith("products-", id));

            // The front door routes to the service through discovery; both gateway replicas listen on its port themselves.
            using (var gateway = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{frontDoor}") })
            {
                var gateways = new HashSet<string>();
                for (var i = 0; i < 40 && gateways.Count < 2; i++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/1");
                    request.Headers.ConnectionClose = true;
                    using var response = await gateway.SendAsync(request, timeout.Token);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.Contains(Assert.Single(response.Headers.GetValues("X-TTMall-Instance")), servedBy);
                    gateways.Add(Assert.Single(response.Headers.GetValues("X-TTMall-Gateway")));
                }

                output.WriteLine($"front door served by: {string.Join(", ", gateways)}");
                Assert.Equal(2, gateways.Count);
                Assert.All(gateways, id => Assert.StartsWith("gateway-", id));
            }

            // A shopper signs in through the front door and fills their cart with the access token users signed.
            using (var gateway = app.CreateHttpClient("gateway"))
            {
                var password = await builder.Resources.OfType<ParameterResource>().Single(p => p.Name == "users-demo-password").GetValueAsync(timeout.Token);
                using var signIn = await gateway.PostAsJsonAsync("/api/users/sessions", new { email = "demo@ttmall.local", password }, timeout.Token);
                Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
                var accessToken = (await signIn.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("accessToken").GetString()!;
                var header = JsonDocument.Parse(Base64Url.DecodeFromChars(accessToken.Split('.')[0])).RootElement;
                Assert.Equal("ES256", header.GetProperty("alg").GetString());
                Assert.False(string.IsNullOrEmpty(header.GetProperty("kid").GetString()));

                Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("/api/carts/me", timeout.Token)).StatusCode);
                gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
                using var added = await gateway.PostAsJsonAsync("/api/carts/me/items", new { productId = 1, quantity = 1 }, timeout.Token);
                Assert.True(added.IsSuccessStatusCode, $"adding to the cart through the gateway: {(int)added.StatusCode} {await added.Content.ReadAsStringAsync(timeout.Token)}");
                // Carts priced the line from products, found through discovery: the AppHost gives carts no address of products.
                var product = await gateway.GetFromJsonAsync<JsonElement>("/api/products/1", timeout.Token);
                var cart = await gateway.GetFromJsonAsync<JsonElement>("/api/carts/me", timeout.Token);
                var line = cart.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("productId").GetInt32() == 1);
                Assert.Equal(product.GetProperty("name").GetString(), line.GetProperty("name").GetString());
                Assert.Equal(product.GetProperty("price").GetDecimal(), line.GetProperty("unitPrice").GetDecimal());
                var carts = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "carts");
#pragma warning disable CS0618 // As below: the values the processes were started with.
                var cartsEnvironment = await carts.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
                Assert.DoesNotContain(cartsEnvironment.Keys, key => key.StartsWith("services__products", StringComparison.OrdinalIgnoreCase));

                // The gateway carries tokens to users too, and answers for what no service of the mall serves.
                Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/users/me", timeout.Token)).StatusCode);
                // The gateway routes exactly the services the AppHost runs: orders is not one of them (yet).
                using (var unknown = await gateway.GetAsync("/api/nothing-here/1", timeout.Token))
                {
                    Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
                    Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
                }

                // Orders and payments are routed: the demo shopper's (empty) lists, each from a replica of its service.
                foreach (var (path, service) in new[] { ("/api/orders", "orders-"), ("/api/payments?orderId=" + Guid.NewGuid(), "payments-") })
                {
                    using var mine = await gateway.GetAsync(path, timeout.Token);
                    Assert.True(mine.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)mine.StatusCode} {await mine.Content.ReadAsStringAsync(timeout.Token)}");
                    Assert.StartsWith(service, mine.Headers.GetValues("X-TTMall-Instance").Single());
                }

                // Up to here, a normal start and normal use: nobody complained.
                Assert.Equal(["carts", "discovery", "gateway", "orders", "payment-provider", "payments", "products", "users"], serviceLines.HeardIn("start").Order());
                var atStart = serviceLines.ComplaintsIn("start");
                Assert.True(atStart.Count == 0, "warnings or errors on a clean start:\n" + string.Join("\n", atStart));

                // Each store stopped under its services, then started again: 503 problems meanwhile, served again without a restart.
                serviceLines.Phase = "outages";
                var outages = new StoreOutages(app, output, serviceLines);
                await outages.StopAndStartAsync("redis", gateway, ["/api/carts/me"], timeout.Token);
                await outages.StopAndStartAsync("postgres", gateway, ["/api/products?q=键盘", "/api/users/me"], timeout.Token);
                // A store that goes away is worth a complaint: the listening above would have heard one.
                Assert.True(serviceLines.ComplaintsIn("outages").Count > 0,
                    "no complaint heard while the stores were down:\n" + string.Join("\n", serviceLines.LinesIn("outages").TakeLast(60)));
            }

            // Only users is given the private key; the others the public keys only; the gateway no key at all.
            foreach (var service in builder.Resources.OfType<ProjectResource>().Where(r => r.Name is "products" or "users" or "carts" or "orders" or "payments" or "gateway"))
            {
#pragma warning disable CS0618 // Its successor is still marked for evaluation; this reads the same values the processes were started with.
                var environment = await service.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
                Assert.Equal(service.Name == "users", environment.ContainsKey("Jwt__SigningKey"));
                Assert.Equal(service.Name != "gateway", environment.ContainsKey("Jwt__PublicKeys"));
                if (service.Name == "gateway")
                {
                    var routed = environment.Where(e => e.Key.StartsWith("Gateway__Services__", StringComparison.Ordinal)).Select(e => e.Value).Order();
                    Assert.Equal(["carts", "orders", "payments", "products", "users"], routed);
                }
                Assert.DoesNotContain("\"d\"", environment.GetValueOrDefault("Jwt__PublicKeys", ""), StringComparison.Ordinal);
            }

            // Both replicas registered with both peers, under the ids the dashboard shows.
            foreach (var peer in new[] { "discovery1", "discovery2" })
            {
                using var eureka = app.CreateHttpClient(peer);
                var registered = "";
                for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(200, timeout.Token))
                {
                    using var response = await eureka.GetAsync("/eureka/apps/PRODUCTS", timeout.Token);
                    registered = await response.Content.ReadAsStringAsync(timeout.Token);
                    if (registered.Split("\"status\":\"UP\"").Length - 1 == 2)
                    {
                        break;
                    }
                }

                Assert.All(servedBy, id => Assert.Contains($"\"instanceId\":\"{id}\"", registered));
                Assert.Equal(2, registered.Split("\"status\":\"UP\"").Length - 1);
            }

            // The registry every process fetches is small: its full document, as the readers ask for it (gzipped).
            using (var eureka = app.CreateHttpClient("discovery1"))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/eureka/apps");
                request.Headers.AcceptEncoding.ParseAdd("gzip");
                using var response = await eureka.SendAsync(request, timeout.Token);
                var gzipped = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                output.WriteLine($"the mall's registry: {gzipped.Length:N0} bytes gzipped");
                Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
                Assert.InRange(gzipped.Length, 100, 50 * 1024);
            }

            started = ProcessTable.StartedBy(Environment.ProcessId);
            AssertRuns(started, "postgres", "redis-server", "beam.smp", "epmd", "TTMall.Discovery", "TTMall.Products");
            serviceLines.Phase = "stop";
        }

        var atStop = serviceLines.ComplaintsIn("stop");
        Assert.True(atStop.Count == 0, "warnings or errors on a clean stop:\n" + string.Join("\n", atStop));

        var left = await ProcessTable.WaitUntilGoneAsync(started, StopTimeout);
        Assert.True(left.Count == 0, "still running after the app was disposed:\n" + string.Join("\n", left.Select(p => $"{p.Pid} {p.CommandLine}")));
    }

    [Fact]
    public async Task Killing_the_AppHost_process_leaves_no_process_behind()
    {
        using var data = new TestDataRoot();
        var appHost = Path.Combine(Repository.Root, "TTMall.AppHost", "bin", Repository.Configuration, "net10.0", "TTMall.AppHost");
        var start = new ProcessStartInfo(appHost)
        {
            WorkingDirectory = Path.GetDirectoryName(appHost),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = $"http://localhost:{TcpPorts.PickFree()}",
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{TcpPorts.PickFree()}",
                ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://localhost:{TcpPorts.PickFree()}",
                ["ASPIRE_DASHBOARD_MCP_ENDPOINT_URL"] = $"http://localhost:{TcpPorts.PickFree()}",
                ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{TcpPorts.PickFree()}",
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
                ["TTMall__Infrastructure"] = "Local",
                ["TTMall__DataRoot"] = data.Path,
                ["TTMall__Ports__Discovery1"] = TcpPorts.PickFree().ToString(),
                ["TTMall__Ports__Discovery2"] = TcpPorts.PickFree().ToString(),
                ["TTMall__Ports__Gateway"] = TcpPorts.PickFree().ToString(),
            },
        };

        using var process = Process.Start(start)!;
        var up = new TaskCompletionSource();
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            log.Enqueue(e.Data);
            if (e.Data.Contains("TT Mall is up"))
            {
                up.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var finished = await Task.WhenAny(up.Task, process.WaitForExitAsync(), Task.Delay(StartTimeout));
        if (finished != up.Task)
        {
            // Stopped as a person would, so the orchestrator takes down what it started before the test fails.
            await StopAsync(process);
            Assert.Fail("the AppHost did not report that the mall is up:\n" + string.Join("\n", log));
        }

        var started = ProcessTable.StartedBy(process.Id);
        AssertRuns(started, "dcp", "postgres", "redis-server", "beam.smp", "epmd", "TTMall.Discovery", "TTMall.Products", "Aspire.Dashboard");

        process.Kill(); // SIGKILL: no chance to clean up; the orchestrator must notice and stop everything.
        var left = await ProcessTable.WaitUntilGoneAsync(started, StopTimeout);
        Assert.True(left.Count == 0, "still running after the AppHost was killed:\n" + string.Join("\n", left.Select(p => $"{p.Pid} {p.CommandLine}")));
    }

    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        try
        {
            await process.WaitForExitAsync().WaitAsync(StopTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static void AssertRuns(IReadOnlyList<ProcessTable.Entry> processes, params string[] programs)
    {
        foreach (var program in programs)
        {
            Assert.True(processes.Any(p => p.CommandLine.Contains(program, StringComparison.Ordinal)),
                $"no {program} among the processes the mall started:\n" + string.Join("\n", processes.Select(p => p.CommandLine)));
        }
    }
}
