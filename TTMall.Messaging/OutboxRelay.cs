using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using TTMall.Eureka.Client;

namespace TTMall.Messaging;

/// <summary>
/// Publishes what the service wrote to its outbox, on every replica: each takes the waiting rows in order with
/// <c>FOR UPDATE SKIP LOCKED</c> (two replicas never hold the same row), publishes them all at once, each with its id
/// as the MessageId, waits for RabbitMQ's confirmations, and marks those confirmed sent in the same transaction. It is woken by the NOTIFY of a
/// committed write and polls as well, in case a notification was missed. While RabbitMQ (or the database) does not
/// answer, the rows wait and the relay tries again with back-off, saying so once. Sent rows and old inbox entries are
/// deleted after their retention.
/// </summary>
public sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    public const int BatchSize = 100;

    /// <summary>How often the relay looks without being woken.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Longest a publish may wait for RabbitMQ's confirmation before the row is left for the next try.</summary>
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <summary>How long sent rows stay, for looking into what was published.</summary>
    public static readonly TimeSpan SentRetention = TimeSpan.FromHours(1);

    /// <summary>How long a handled message id is remembered: far longer than any redelivery takes.</summary>
    public static readonly TimeSpan InboxRetention = TimeSpan.FromDays(7);

    public static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(10);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, Type?> _types = new();
    private readonly ConcurrentDictionary<Guid, bool> _unreadable = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Migrations and the bus start with the host; the outbox table exists once it has started.
        if (!await BackgroundLoop.HostStartedAsync(lifetime, stoppingToken))
        {
            return;
        }

        var listening = ListenAsync(stoppingToken);
        var failures = 0;
        var nextPurge = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var untraced = MessagingTelemetry.Untraced();
                if (time.GetUtcNow() >= nextPurge)
                {
                    await PurgeAsync(stoppingToken);
                    nextPurge = time.GetUtcNow() + PurgeInterval;
                }

                var sent = await RelayBatchAsync(stoppingToken);
                if (failures > 0)
                {
                    LogRecovered(logger, failures);
                    failures = 0;
                }

                if (sent < BatchSize)
                {
                    await WaitForWorkAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (failures++ == 0)
                {
                    LogFailing(logger, e.Message, e);
                }
                else
                {
                    LogStillFailing(logger, failures, e.Message);
                }

                await DelayAsync(Backoff(failures), stoppingToken);
            }
        }

        await listening;
    }

    /// <summary>Publishes up to <see cref="BatchSize"/> waiting rows; throws when the broker failed one, after saving the others it took as sent.</summary>
    internal async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var (sent, failure) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var waiting = await db.Set<OutboxMessage>()
                .FromSql($"""SELECT * FROM outbox_messages WHERE "SentAt" IS NULL ORDER BY "Position" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED""")
                .ToListAsync(ct);
            // All published at once, then every confirm awaited: one at a time, each waits a round trip for its
            // confirm and a relay carries a few dozen events a second; together the confirms arrive as the broker
            // takes them. RabbitMQ keeps no order between messages to different queues or redeliveries anyway, and
            // every consumer takes an event whatever came before it (an order cancelled before it was reserved).
            var published = await Task.WhenAll(waiting.Select(async message =>
            {
                try
                {
                    return (message, Published: await PublishAsync(message, ct), Failure: (Exception?)null);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    return (message, Published: false, Failure: e);
                }
            }));
            var sent = 0;
            foreach (var (message, _, _) in published.Where(p => p.Published))
            {
                message.SentAt = time.GetUtcNow();
                sent++;
            }

            var failure = published.Select(p => p.Failure).FirstOrDefault(f => f is not null);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (sent, failure);
        }, cancellationToken);

        return failure is null ? sent : throw new OutboxRelayException(failure);
    }

    /// <returns>False for a row whose type is unknown here: it stays unsent, and is named once.</returns>
    private async Task<bool> PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var type = _types.GetOrAdd(message.Type, name => Type.GetType(name, throwOnError: false));
        if (type is null)
        {
            if (_unreadable.TryAdd(message.Id, true))
            {
                LogUnknownType(logger, message.Id, message.Type);
            }

            return false;
        }

        var body = JsonSerializer.Deserialize(message.Body, type, OutboxExtensions.Json)!;
        using var activity = MessagingTelemetry.StartRelay(message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        // With publisher confirms on (see MessagingExtensions), this completes once RabbitMQ has taken the message.
        await bus.Publish(body, type, Pipe.Execute<PublishContext>(context => context.MessageId = message.Id), timeout.Token);
        return true;
    }

    internal async Task PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = time.GetUtcNow();
        var sentBefore = now - SentRetention;
        var processedBefore = now - InboxRetention;
        await db.Set<OutboxMessage>().Where(m => m.SentAt < sentBefore).ExecuteDeleteAsync(cancellationToken);
        await db.Set<InboxMessage>().Where(m => m.ProcessedAt < processedBefore).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Holds a connection that LISTENs for committed outbox writes; when it breaks, the poll carries on alone until it is back.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var untraced = MessagingTelemetry.Untraced();
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                await db.Database.OpenConnectionAsync(stoppingToken);
                var connection = (NpgsqlConnection)db.Database.GetDbConnection();
                connection.Notification += (_, _) => _wake.Writer.TryWrite(true);
                await db.Database.ExecuteSqlRawAsync("LISTEN " + MessagingTables.Channel, stoppingToken);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The relay's own loop says when the database is away; this only loses promptness meanwhile.
                LogListenBroken(logger, e.Message);
                await DelayAsync(MaxBackoff, stoppingToken);
            }
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        poll.CancelAfter(PollInterval);
        try
        {
            await _wake.Reader.WaitToReadAsync(poll.Token);
            _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>0.5 s, 1 s, 2 s, 4 s, then <see cref="MaxBackoff"/>: RabbitMQ back after a restart is noticed within seconds.</summary>
    internal static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events in the outbox could not be published ({Reason}); they wait there and are tried again with back-off")]
    private static partial void LogFailing(ILogger logger, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox still not published after {Failures} tries: {Reason}")]
    private static partial void LogStillFailing(ILogger logger, int failures, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox publishing again after {Failures} failed tries")]
    private static partial void LogRecovered(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} has a type this service does not know ({Type}); it stays unsent")]
    private static partial void LogUnknownType(ILogger logger, Guid messageId, string type);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox notifications interrupted ({Reason}); polling meanwhile")]
    private static partial void LogListenBroken(ILogger logger, string reason);
}
