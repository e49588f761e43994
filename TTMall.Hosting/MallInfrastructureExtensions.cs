using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TTMall.Hosting.Local;

namespace TTMall.Hosting;

public static class MallInfrastructureExtensions
{
    /// <summary>
    /// Adds Postgres (with the mall's four databases), Redis and RabbitMQ: as containers when an engine answers,
    /// otherwise from the machine's packages (see <see cref="InfrastructureModeSelector"/>). Problems the person
    /// starting the mall can fix end the AppHost with a plain message instead of a stack trace.
    /// </summary>
    public static MallInfrastructure AddMallInfrastructure(this IDistributedApplicationBuilder builder, Func<ContainerEngineStatus>? probeEngine = null)
    {
        MallSetupException.PrintInsteadOfCrashing();
        var settings = MallSettings.Read(builder.Configuration, builder.AppHostDirectory);
        var mode = InfrastructureModeSelector.Select(settings.Infrastructure, probeEngine ?? (() => ContainerEngine.Probe()));
        builder.CheckDashboardPortsAreFree();
        StartupProgress.Register(builder);

        return mode == InfrastructureMode.Containers
            ? AddContainers(builder, settings)
            : AddLocalServers(builder, settings);
    }

    private static MallInfrastructure AddContainers(IDistributedApplicationBuilder builder, MallSettings settings)
    {
        var postgres = builder.AddPostgres("postgres").WithDataVolume("ttmall-postgres");
        // Not AddDatabase: its databases belong to the superuser, and so would its connection strings.
        var databases = MallDatabases.Add(builder, postgres,
            ReferenceExpression.Create($"Host={postgres.Resource.Host};Port={postgres.Resource.Port}"),
            MallInfrastructure.DatabaseNames,
            role => builder.AddParameter($"postgres-{role}-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true));
        var redis = builder.AddRedis("redis").WithDataVolume("ttmall-redis");
        var rabbitMq = builder.AddRabbitMQ("rabbitmq").WithDataVolume("ttmall-rabbitmq").WithManagementPlugin();
        return new(InfrastructureMode.Containers, settings, postgres, databases, redis, rabbitMq);
    }

    private static MallInfrastructure AddLocalServers(IDistributedApplicationBuilder builder, MallSettings settings)
    {
        var data = new LocalDataRoot(settings.DataRoot);
        var ports = new PortAllocator();
        var (postgres, databases) = LocalPostgres.Add(builder, data, settings, ports, MallInfrastructure.DatabaseNames);
        var redis = LocalRedis.Add(builder, data, settings, ports);
        var rabbitMq = LocalRabbitMq.Add(builder, data, settings, ports);

        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            e.Services.GetRequiredService<ILogger<MallInfrastructure>>().LogInformation("Infrastructure: local servers from this machine's packages; data in {DataRoot}.", data.Root);
            return Task.CompletedTask;
        });

        return new(InfrastructureMode.Local, settings, postgres, databases, redis, rabbitMq);
    }

    /// <summary>
    /// Kestrel may bind the dashboard to [::1] alone when another process holds 127.0.0.1 on its port, and then the
    /// browser reaches that other process. Refuse to start instead, naming the holder.
    /// </summary>
    private static void CheckDashboardPortsAreFree(this IDistributedApplicationBuilder builder)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            if (e.Services.GetRequiredService<DistributedApplicationOptions>().DisableDashboard)
            {
                return Task.CompletedTask;
            }

            foreach (var key in new[] { "ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL" })
            {
                foreach (var url in (builder.Configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port > 0)
                    {
                        TcpPorts.EnsureFree(uri.Port, $"the Aspire dashboard, {key}", $"{key} in TTMall.AppHost/Properties/launchSettings.json");
                    }
                }
            }

            return Task.CompletedTask;
        });
    }
}
