using System.Collections.Concurrent;
using MassTransit;

namespace TTMall.Testing;

/// <summary>
/// The mall's RabbitMQ as the services use it: publishes events as another service would, and records the events
/// named when it starts from a queue of its own (so it takes nothing from anyone).
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
    /// <param name="name">Begins the name of the recording queue, so the broker's queue list says whose it is.</param>
    /// <param name="recorded">Names the events to record: <c>r => r.Record&lt;OrderPaid&gt;().Record&lt;OrderCancelled&gt;()</c>.</param>
    public static async Task<TestBus> StartAsync(string amqp, string name, Action<Recorder> recorded)
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
            rabbit.ReceiveEndpoint($"{name}-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                recorded(new Recorder(endpoint, seen));
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

    /// <summary>Every <typeparamref name="T"/> recorded so far that matches <paramref name="match"/>.</summary>
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
            $"a matching {typeof(T).Name} was published",
            () => $"seen: {string.Join(", ", _seen.Select(s => s.Message))}");

    public async ValueTask DisposeAsync() => await _bus.StopAsync();

    /// <summary>Binds the recording queue to the events a test wants to see.</summary>
    public sealed class Recorder
    {
        private readonly IReceiveEndpointConfigurator _endpoint;
        private readonly ConcurrentQueue<(object, Guid?)> _seen;

        internal Recorder(IReceiveEndpointConfigurator endpoint, ConcurrentQueue<(object, Guid?)> seen)
        {
            _endpoint = endpoint;
            _seen = seen;
        }

        public Recorder Record<T>() where T : class
        {
            _endpoint.Handler<T>(context =>
            {
                _seen.Enqueue((context.Message, context.MessageId));
                return Task.CompletedTask;
            });
            return this;
        }
    }
}
