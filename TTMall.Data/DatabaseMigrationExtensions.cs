using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace TTMall.Data;

/// <summary>Prepares a service's database (migrations, then seed data) before the service takes requests.</summary>
public static class DatabaseMigrationExtensions
{
    /// <param name="seed">Runs after the migrations, under the same lock; must be idempotent (it runs on every start).</param>
    public static IServiceCollection AddDatabaseMigration<TContext>(
        this IServiceCollection services, Func<TContext, CancellationToken, Task>? seed = null)
        where TContext : DbContext =>
        services.AddHostedService(provider => new DatabaseMigrator<TContext>(
            provider.GetRequiredService<IServiceScopeFactory>(),
            seed));
}
