using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TTMall.ServiceDefaults.Tests;

/// <summary>A health probe that gives up is a cancelled request, not an unhealthy store, and is not logged as an error.</summary>
public sealed class AbandonedHealthCheckTests
{
    [Fact]
    public async Task A_check_cut_short_by_its_caller_is_cancelled_and_logs_no_error()
    {
        var (health, logs) = Build(new SlowStore(TimeSpan.FromSeconds(30)));
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => health.CheckHealthAsync(caller.Token));

        Assert.DoesNotContain(logs, entry => entry.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_check_that_fails_while_its_caller_waits_is_reported_unhealthy_and_logged()
    {
        var (health, logs) = Build(new SlowStore(TimeSpan.Zero));

        var report = await health.CheckHealthAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["store"].Status);
        Assert.Contains(logs, entry => entry.Level == LogLevel.Error && entry.Message.Contains("store", StringComparison.Ordinal));
    }

    private static (HealthCheckService Health, ConcurrentQueue<(LogLevel Level, string Message)> Logs) Build(IHealthCheck store)
    {
        var logs = new ConcurrentQueue<(LogLevel, string)>();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(new Collecting(logs));
        builder.AddDefaultHealthChecks();
        builder.Services.AddHealthChecks().AddCheck("store", store);
        var host = builder.Build();
        return (host.Services.GetRequiredService<HealthCheckService>(), logs);
    }

    /// <summary>As Entity Framework's check does: any exception, a cancellation too, becomes an Unhealthy result.</summary>
    private sealed class SlowStore(TimeSpan delay) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await Task.Delay(delay, cancellationToken);
                throw new InvalidOperationException("the store does not answer");
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy(e.Message, e);
            }
        }
    }

    private sealed class Collecting(ConcurrentQueue<(LogLevel, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(logs);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(LogLevel, string)> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
