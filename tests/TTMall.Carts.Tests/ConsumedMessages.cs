using System.Collections.Concurrent;
using MassTransit;

namespace TTMall.Carts.Tests;

/// <summary>
/// The messages a carts replica's consumers have finished with, by MessageId, so a test can wait until a message
/// (or its redelivery) has been handled instead of guessing how long that takes.
/// </summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();

    /// <summary>How many times a consumer has finished the message with this id.</summary>
    public int Count(Guid messageId) => _consumed.GetValueOrDefault(messageId);

    /// <summary>Waits until the message with <paramref name="messageId"/> has been consumed <paramref name="times"/> times.</summary>
    public Task WaitAsync(Guid messageId, int times = 1) =>
        Eventually.HoldsAsync(() => Count(messageId) >= times, TimeSpan.FromSeconds(15), $"carts consumed message {messageId} {times} time(s)");

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id)
        {
            _consumed.AddOrUpdate(id, 1, (_, count) => count + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
