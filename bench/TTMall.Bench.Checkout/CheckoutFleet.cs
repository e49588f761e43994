using TTMall.Hosting;
using TTMall.Testing;
using TTMall.Testing.Infrastructure;

namespace TTMall.Bench.Checkout;

/// <summary>
/// The services a checkout passes through, each the build of this tool's configuration as its own process on a
/// loopback port, in Production, Eureka off: each finds the others through the <c>Services:NAME:http:0</c>
/// configuration, as in the mall with discovery off. Users signs access tokens with a key made per run; the others
/// get its public half. The payment provider sandbox gets an API key made per run, which payments is given.
/// </summary>
public sealed class CheckoutFleet : IAsyncDisposable
{
    private readonly List<ServiceProcess> _started = [];

    private CheckoutFleet(IReadOnlyDictionary<string, string> environment, LocalMall mall)
    {
        Environment = environment;
        Mall = mall;
    }

    public ServiceProcess Products { get; private set; } = null!;
    public ServiceProcess Users { get; private set; } = null!;
    public ServiceProcess Carts { get; private set; } = null!;
    public ServiceProcess Orders { get; private set; } = null!;
    public ServiceProcess Provider { get; private set; } = null!;
    public ServiceProcess Payments { get; private set; } = null!;

    public IReadOnlyList<ServiceProcess> Services => _started;

    private IReadOnlyDictionary<string, string> Environment { get; }

    private LocalMall Mall { get; }

    /// <summary>Starts the services one after another (each migrates its database on its first start) and waits until each is healthy.</summary>
    /// <param name="environment">Variables every service gets (--service-env).</param>
    /// <exception cref="BenchException">A service is not built, exited while starting, or was not healthy in time.</exception>
    public static async Task<CheckoutFleet> StartAsync(
        LocalMall mall, IReadOnlyDictionary<string, string> environment, Action<string> log, CancellationToken cancellationToken)
    {
        var fleet = new CheckoutFleet(environment, mall);
        try
        {
            await fleet.StartCoreAsync(log, cancellationToken);
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(Action<string> log, CancellationToken cancellationToken)
    {
        var signingKey = AccessTokenKeys.NewSigningKey("bench");
        var publicKeys = AccessTokenKeys.PublicKeySet(signingKey);
        var providerApiKey = $"sk_test_{Guid.NewGuid():N}";

        Products = await StartAsync("TTMall.Products", publicKeys, log, cancellationToken, Store("productsdb"), Store("rabbitmq"));
        Users = await StartAsync("TTMall.Users", publicKeys, log, cancellationToken, Store("usersdb"),
            ("Jwt__SigningKey", signingKey),
            // Tokens outlive the run: no shopper has to refresh in the middle of a phase.
            ("Jwt__AccessTokenLifetime", "02:00:00"),
            // Every shopper signs up and in from this machine, well above what one client may do in the mall.
            ("Users__SignInAttemptsPerClient", "1000000"),
            ("Users__SignUpsPerClient", "1000000"));
        Carts = await StartAsync("TTMall.Carts", publicKeys, log, cancellationToken, Store("redis"), Store("rabbitmq"), At("products", Products));
        Orders = await StartAsync("TTMall.Orders", publicKeys, log, cancellationToken, Store("ordersdb"), Store("rabbitmq"),
            At("products", Products), At("users", Users), At("carts", Carts));
        Provider = await StartAsync("TTMall.PaymentProvider", publicKeys, log, cancellationToken, Store("providerdb"), ("Provider__ApiKey", providerApiKey));
        Payments = await StartAsync("TTMall.Payments", publicKeys, log, cancellationToken, Store("paymentsdb"), Store("rabbitmq"),
            At("orders", Orders), ("Payments__Provider__Url", Address(Provider)), ("Payments__Provider__ApiKey", providerApiKey));
    }

    /// <exception cref="BenchException">A service has died.</exception>
    public void EnsureAlive()
    {
        foreach (var service in _started)
        {
            service.EnsureAlive();
        }
    }

    private (string, string) Store(string name) => ($"ConnectionStrings__{name}", Mall.ConnectionString(name));

    private static (string, string) At(string service, ServiceProcess process) => ($"Services__{service}__http__0", Address(process));

    private static string Address(ServiceProcess process) => process.BaseUri.ToString().TrimEnd('/');

    private async Task<ServiceProcess> StartAsync(
        string project, string publicKeys, Action<string> log, CancellationToken cancellationToken, params (string Name, string Value)[] own)
    {
        BuiltServices.Locate(project);
        var service = new ServiceProcess(project, project)
        {
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Eureka__Client__Enabled"] = "false",
                ["Jwt__PublicKeys"] = publicKeys,
            },
        };
        foreach (var (name, value) in own.Concat(Environment.Select(e => (e.Key, e.Value))))
        {
            service.Environment[name] = value;
        }

        _started.Add(service);
        await service.StartHealthyAsync(TimeSpan.FromSeconds(120), cancellationToken);
        log($"{project} pid {service.ProcessId} at {service.BaseUri}");
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        // The callers first: nothing new reaches a service that is stopping.
        foreach (var service in Enumerable.Reverse(_started))
        {
            await service.DisposeAsync();
        }
    }
}
