using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TTMall.Data;

namespace TTMall.Messaging.Tests;

/// <summary>RabbitMQ stopped under a running service: events written meanwhile wait in the outbox and all go out once it is back; the service stays healthy.</summary>
[Collection(MessagingCollection.Name)]
public sealed class OutageTests(MessagingFixture fixture)
{
    [Fact]
    public async Task Events_written_while_RabbitMQ_is_down_are_all_delivered_once_it_is_back_and_health_stays_up()
    {
        var database = await fixture.NewDatabaseAsync();
        await using var host = await fixture.StartHostAsync(database, OutboxTests.Service(), x => x.AddConsumer<PingedConsumer>());
        var run = Guid.NewGuid();
        await Write(database, run, 1);
        await OutboxTests.EffectsAsync(database, run, 1);
        Assert.Equal(HealthStatus.Healthy, (await host.HealthAsync()).Status);

        await fixture.Infrastructure.StopResourceAsync(MessagingExtensions.ConnectionName);
        try
        {
            for (var n = 2; n <= 11; n++)
            {
                await Write(database, run, n);
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            await using (var db = MessagingFixture.Database(database))
            {
                Assert.Equal(10, await db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null));
            }

            // Degraded (answered 200, shown in the dashboard), never unhealthy: the service's API does not need RabbitMQ.
            var health = await host.HealthAsync();
            Assert.Equal(HealthStatus.Degraded, health.Status);
            Assert.Equal(HealthStatus.Degraded, health.Entries[BusHealthCheck.Name].Status);
        }
        finally
        {
            await fixture.Infrastructure.StartResourceAsync(MessagingExtensions.ConnectionName);
        }

        var effects = await OutboxTests.EffectsAsync(database, run, 11);
        Assert.Equal(Enumerable.Range(1, 11), effects.Select(e => e.Number).Order());
        await OutboxTests.UnsentAsync(database, 0);
        await Eventually.HoldsAsync(async () => (await host.HealthAsync()).Status == HealthStatus.Healthy, TimeSpan.FromSeconds(30), "healthy again");
    }

    [Fact]
    public async Task A_service_starts_and_writes_events_while_RabbitMQ_cannot_be_reached_and_is_healthy_while_it_connects()
    {
        var database = await fixture.NewDatabaseAsync();
        var nowhere = new UriBuilder(fixture.RabbitMq) { Port = FreePort.OnLoopback() }.Uri.ToString();
        await using var host = await fixture.StartHostAsync(database, OutboxTests.Service(), x => x.AddConsumer<PingedConsumer>(), nowhere);

        // Starting: the bus has not connected yet, which is no reason for a warning or for leaving rotation.
        Assert.Equal(HealthStatus.Healthy, (await host.HealthAsync()).Status);
        await Write(database, Guid.NewGuid(), 1);

        // Still unreachable after the start-up grace: degraded (shown, and answered 200), never unhealthy.
        await Eventually.HoldsAsync(async () => (await host.HealthAsync()).Status == HealthStatus.Degraded,
            MessagingFixture.ConnectGrace + TimeSpan.FromSeconds(20), "degraded once the grace is over");
        await using var db = MessagingFixture.Database(database);
        Assert.Equal(1, await db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null));
    }

    private static async Task Write(string database, Guid run, int number)
    {
        await using var db = MessagingFixture.Database(database);
        await db.InTransactionAsync(ct =>
        {
            db.Publish(new Pinged(run, number));
            return db.SaveChangesAsync(ct);
        }, CancellationToken.None);
    }
}
