using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace TTMall.Messaging;

/// <summary>Wires a service to the mall's events: MassTransit over RabbitMQ, and for services with a database the outbox relay and the inbox.</summary>
public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit over the <c>rabbitmq</c> connection string (an amqp:// URI), the outbox relay for
    /// <typeparamref name="TContext"/>, the consumers <paramref name="consumers"/> registers, endpoints by convention.
    /// </summary>
    public static IHostApplicationBuilder AddServiceMessaging<TContext>(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? consumers = null) where TContext : DbContext =>
        throw new NotImplementedException();

    /// <summary>The same without a database: consumers only, no outbox, no inbox.</summary>
    public static IHostApplicationBuilder AddServiceMessaging(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? consumers = null) =>
        throw new NotImplementedException();

    /// <summary>The outbox and inbox tables in a service's model (each service then adds an EF migration).</summary>
    public static ModelBuilder AddMessaging(this ModelBuilder modelBuilder) => throw new NotImplementedException();
}
