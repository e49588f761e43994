using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using TTMall.ServiceDefaults;

namespace TTMall.Messaging;

/// <summary>Wires a service to the mall's events: MassTransit over RabbitMQ, and for services with a database the outbox relay and the inbox.</summary>
public static class MessagingExtensions
{
    public const string ConnectionName = "rabbitmq";

    private const string MassTransitHealthCheck = "masstransit-bus";

    /// <summary>Overrides the queue-name prefix, which is otherwise the service's name (<c>products-order-submitted</c>).</summary>
    public const string ServiceNameSetting = "Messaging:ServiceName";

    /// <summary>
    /// Bounded redelivery of a failing message, in process: a transient database error or a unique violation between
    /// two replicas is usually over by the next try. After the last, MassTransit moves it to the queue's <c>_error</c> queue.
    /// </summary>
    public static readonly TimeSpan[] RetryIntervals =
        [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    /// <summary>
    /// MassTransit over the <c>rabbitmq</c> connection string (<c>ConnectionStrings:rabbitmq</c>, an amqp:// URI), the
    /// outbox relay for <typeparamref name="TContext"/> (whose model must call <see cref="AddMessaging"/>), the consumers
    /// <paramref name="consumers"/> registers (<c>x.AddConsumer&lt;...&gt;()</c>), endpoints by convention.
    /// </summary>
    public static IHostApplicationBuilder AddServiceMessaging<TContext>(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? consumers = null) where TContext : DbContext
    {
        builder.AddServiceMessaging(consumers);
        // Singleton, as the options of the pooled contexts AddServiceDatabase registers are.
        builder.Services.ConfigureDbContext<TContext>(
            (_, options) => options.AddInterceptors(new OutboxNotifier()), ServiceLifetime.Singleton);
        // After MassTransit's hosted service, so it stops first: nothing is half-published when the bus goes.
        builder.Services.AddHostedService<OutboxRelay<TContext>>();
        return builder;
    }

    /// <summary>The same without a database (carts): consumers only, no outbox, no inbox.</summary>
    public static IHostApplicationBuilder AddServiceMessaging(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var broker = RabbitMqAddress.Parse(builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not set; it names the RabbitMQ server (amqp://user:password@host:port/)."));
        var prefix = QueuePrefix(builder.Configuration[ServiceNameSetting]
            ?? ServiceInstance.FromEnvironment(builder.Environment.ApplicationName).ServiceName);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMassTransit(x =>
        {
            // Each service gets its own queue per consumer, so two services consuming one event each get a copy,
            // while the replicas of one service share it.
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(prefix, false));
            consumers?.Invoke(x);
            // Replaced below by BusHealthCheck, which reports the bus starting up as such rather than degraded.
            x.ConfigureHealthCheckOptions(health =>
            {
                health.Name = MassTransitHealthCheck;
                health.MinimalFailureStatus = HealthStatus.Degraded;
            });
            x.UsingRabbitMq((context, bus) =>
            {
                bus.Host(broker.Host, broker.Port, broker.VirtualHost, host =>
                {
                    host.Username(broker.Username);
                    host.Password(broker.Password);
                    // A publish completes when the broker has the message, so the relay marks only those sent.
                    host.PublisherConfirmation = true;
                });
                bus.UseMessageRetry(retry => retry.Intervals(RetryIntervals));
                bus.ConfigureEndpoints(context);
            });
        });
        // RabbitMQ away must not take the service out of rotation: its HTTP API works and writes to the outbox.
        var grace = builder.Configuration.GetValue<TimeSpan?>(BusHealthCheck.GraceSetting) ?? BusHealthCheck.DefaultGrace;
        builder.Services.TryAddSingleton(services => new BusHealthCheck(
            services.GetRequiredService<IBusControl>(), services.GetRequiredService<TimeProvider>(), grace));
        builder.Services.AddHostedService(services => services.GetRequiredService<BusHealthCheck>());
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => r.Name == MassTransitHealthCheck).ToList())
            {
                options.Registrations.Remove(registration);
            }
        });
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            BusHealthCheck.Name, services => services.GetRequiredService<BusHealthCheck>(), HealthStatus.Degraded, ["ready", "rabbitmq"]));
        // The host does not wait for RabbitMQ: a service starts and serves while the broker is away.
        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = false;
            options.StopTimeout = TimeSpan.FromSeconds(10);
        });
        return builder;
    }

    /// <summary>
    /// A consumer every replica runs for every message, for what each replica keeps of its own (a cache to forget):
    /// a queue per replica (<c>{service}-{message}-&lt;random&gt;</c>), temporary, that is non-durable and exclusive to
    /// the replica's connection, so none piles up for replicas that are gone. What a replica misses while disconnected
    /// is lost to it, so use it only where a missed message costs little (a cache that expires anyway).
    /// </summary>
    public static void AddConsumerOnEveryReplica<TConsumer>(this IBusRegistrationConfigurator consumers) where TConsumer : class, IConsumer =>
        consumers.AddConsumer<TConsumer>().Endpoint(endpoint =>
        {
            endpoint.Temporary = true;
            endpoint.InstanceId = Guid.NewGuid().ToString("N")[..12];
        });

    /// <summary>The outbox and inbox tables in a service's model (each service then adds an EF migration).</summary>
    public static ModelBuilder AddMessaging(this ModelBuilder modelBuilder)
    {
        MessagingTables.Configure(modelBuilder);
        return modelBuilder;
    }

    /// <summary>"products" for products, "products" for TTMall.Products outside the AppHost.</summary>
    internal static string QueuePrefix(string serviceName)
    {
        var name = serviceName.StartsWith("TTMall.", StringComparison.OrdinalIgnoreCase) ? serviceName["TTMall.".Length..] : serviceName;
        return KebabCaseEndpointNameFormatter.Instance.SanitizeName(name.Replace('.', '-'));
    }
}
