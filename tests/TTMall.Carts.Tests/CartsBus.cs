using MassTransit;

namespace TTMall.Carts.Tests;

/// <summary>
/// The mall's RabbitMQ as orders and products use it: publishes the events carts consume, on the real exchanges
/// carts' queues are bound to. It consumes nothing, so it takes no message from anyone.
/// </summary>
public sealed class CartsBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private CartsBus(IBusControl bus) => _bus = bus;

    /// <param name="amqp">The <c>rabbitmq</c> connection string, amqp://user:password@host:port.</param>
    public static async Task<CartsBus> StartAsync(string amqp)
    {
        var uri = new Uri(amqp);
        var credentials = uri.UserInfo.Split(':', 2);
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(uri.Host, (ushort)uri.Port, "/", host =>
        {
            host.Username(Uri.UnescapeDataString(credentials[0]));
            host.Password(Uri.UnescapeDataString(credentials[1]));
        }));
        using var started = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bus.StartAsync(started.Token);
        return new CartsBus(bus);
    }

    /// <summary>Publishes <paramref name="message"/> with <paramref name="messageId"/> (a new one when null): the same id twice is a redelivery.</summary>
    public async Task<Guid> PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        await _bus.Publish(message, context => context.MessageId = id);
        return id;
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
