using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using TTMall.Data;
using TTMall.Messaging;

namespace TTMall.Bench.Checkout;

/// <summary>
/// From an event's commit into the outbox to its consumer: a host wired as a service wires its messaging
/// (<see cref="ServiceDatabaseExtensions.AddServiceDatabase"/>, <see cref="MessagingExtensions.AddServiceMessaging{TContext}"/>:
/// the relay woken by the commit's NOTIFY, MassTransit with publisher confirms, an inbox consumer) on a database of its
/// own on the mall's Postgres and RabbitMQ, in this process, so that commit and arrival are read on one clock.
/// </summary>
public static class OutboxLatency
{
    /// <summary>
    /// <paramref name="writers"/> writers each commit one event at a time, with a pause of a few milliseconds after
    /// each so the relay is measured rather than a queue of unsent events, for <paramref name="duration"/>; then it
    /// waits until every event has arrived (at most 30 s).
    /// </summary>
    /// <returns>consumed − committed of each event, and how many were written.</returns>
    /// <exception cref="BenchException">Not every event arrived.</exception>
    public static async Task<(IReadOnlyList<TimeSpan> Latencies, int Written)> RunAsync(
        string superuser, string ownerConnectionString, string rabbitMq, int writers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var database = await CreateDatabaseAsync(superuser, ownerConnectionString, cancellationToken);
        var arrivals = new ProbeArrivals();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ApplicationName = "TTMall.Bench.Checkout",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{OutboxProbeDbContext.ConnectionName}"] = database,
            [$"ConnectionStrings:{MessagingExtensions.ConnectionName}"] = rabbitMq,
            [MessagingExtensions.ServiceNameSetting] = "bench-outbox",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(arrivals);
        builder.AddServiceDatabase<OutboxProbeDbContext>(OutboxProbeDbContext.ConnectionName, "outbox probes");
        builder.AddServiceMessaging<OutboxProbeDbContext>(x => x.AddConsumer<OutboxProbeConsumer>());
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            using (var ready = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                ready.CancelAfter(TimeSpan.FromSeconds(30));
                await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, ready.Token);
            }

            var run = Guid.NewGuid();
            // A first event, not counted, so the queue is bound and the relay has its connection before the clock runs.
            await WriteAsync(host.Services, new OutboxProbe(run, -1), cancellationToken);
            await WaitAsync(() => arrivals.Consumed >= 1, "the first event", cancellationToken);

            long next = 0;
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
            {
                while (Stopwatch.GetElapsedTime(started) < duration)
                {
                    var number = Interlocked.Increment(ref next);
                    await WriteAsync(host.Services, new OutboxProbe(run, number), cancellationToken);
                    arrivals.CommittedNow(number);
                    await Task.Delay(Random.Shared.Next(2, 8), cancellationToken);
                }
            }));
            var written = (int)Interlocked.Read(ref next);
            await WaitAsync(() => arrivals.Consumed >= written + 1, $"all {written} events", cancellationToken);
            return ([.. arrivals.Latencies()], written);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WriteAsync(IServiceProvider services, OutboxProbe probe, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OutboxProbeDbContext>();
        db.Publish(probe);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task WaitAsync(Func<bool> arrived, string what, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (!arrived())
        {
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(30))
            {
                throw new BenchException($"{what} did not reach the consumer within 30 s");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>A new database owned by the services' role, with the outbox and inbox tables; returns its connection string.</summary>
    private static async Task<string> CreateDatabaseAsync(string superuser, string ownerConnectionString, CancellationToken cancellationToken)
    {
        var name = $"bench_outbox_{Guid.NewGuid():N}"[..29];
        var owner = new NpgsqlConnectionStringBuilder(ownerConnectionString);
        await using (var connection = new NpgsqlConnection(superuser))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" OWNER \"{owner.Username}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var database = new NpgsqlConnectionStringBuilder(owner.ConnectionString) { Database = name }.ConnectionString;
        await using var db = new OutboxProbeDbContext(new DbContextOptionsBuilder<OutboxProbeDbContext>().UseNpgsql(database).Options);
        await db.Database.EnsureCreatedAsync(cancellationToken);
        return database;
    }
}
