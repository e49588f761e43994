using System.Collections.Concurrent;
using MassTransit;
using TTMall.Contracts;

namespace TTMall.Checkout.Tests;

/// <summary>
/// The mall's RabbitMQ as the other services use it: publishes the events orders consumes, as products and payments
/// would, and records every event orders publishes, from a queue of its own (so it takes nothing from anyone).
/// </summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<(object Message, Guid? MessageId)> _seen;

    private TestBus(IBusControl bus, ConcurrentQueue<(object, Guid?)> seen)
    {
        _bus = bus;
        _seen = seen;
    }

    /// <param name="amqp">The <c>rabbitmq</c> connection string, amqp://user:password@host:port.</param>
    public static async Task<TestBus> StartAsync(string amqp)
    {
        var uri = new Uri(amqp);
        var credentials = uri.UserInfo.Split(':', 2);
        var seen = new ConcurrentQueue<(object, Guid?)>();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(uri.Host, (ushort)uri.Port, "/", host =>
            {
                host.Username(Uri.UnescapeDataString(credentials[0]));
                host.Password(Uri.UnescapeDataString(credentials[1]));
            });
            rabbit.ReceiveEndpoint($"orders-tests-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                Record<OrderSubmitted>(endpoint, seen);
                Record<OrderPaid>(endpoint, seen);
                Record<OrderCancelled>(endpoint, seen);
                Record<PaymentRefundRequested>(endpoint, seen);
            });
        });
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return new TestBus(bus, seen);
    }

    /// <summary>Publishes <paramref name="message"/> with <paramref name="messageId"/> (a new one when null): the same id twice is a redelivery.</summary>
    public async Task<Guid> PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        await _bus.Publish(message, context => context.MessageId = id);
        return id;
    }

    /// <summary>Every <typeparamref name="T"/> orders has published so far that matches <paramref name="match"/>.</summary>
    public IReadOnlyList<T> Seen<T>(Func<T, bool> match) => [.. _seen.Select(s => s.Message).OfType<T>().Where(match)];

    /// <summary>How many <typeparamref name="T"/> matching <paramref name="match"/> came again with a MessageId already seen: published twice.</summary>
    public int Repeated<T>(Func<T, bool> match)
    {
        var ids = _seen.Where(s => s.Message is T message && match(message)).Select(s => s.MessageId).ToList();
        return ids.Count - ids.Distinct().Count();
    }

    /// <summary>Waits for a <typeparamref name="T"/> matching <paramref name="match"/>; returns the first.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? within = null) where T : class =>
        await Eventually.FoundAsync(
            () => Task.FromResult(Seen(match).FirstOrDefault()),
            within ?? TimeSpan.FromSeconds(15),
            $"orders published a matching {typeof(T).Name}",
            () => $"seen: {string.Join(", ", _seen.Select(s => s.Message))}");

    public async ValueTask DisposeAsync() => await _bus.StopAsync();

    private static void Record<T>(IReceiveEndpointConfigurator endpoint, ConcurrentQueue<(object, Guid?)> seen) where T : class =>
        endpoint.Handler<T>(context =>
        {
            seen.Enqueue((context.Message, context.MessageId));
            return Task.CompletedTask;
        });
}
