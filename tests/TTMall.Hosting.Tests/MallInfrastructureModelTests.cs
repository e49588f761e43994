using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using TTMall.Hosting.Local;

namespace TTMall.Hosting.Tests;

/// <summary>The resources each mode adds, read from the app model without starting anything.</summary>
public class MallInfrastructureModelTests : IDisposable
{
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "ttmall-model-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Executables.Run("rm", ["-rf", _dataRoot], TimeSpan.FromSeconds(30));

    private IDistributedApplicationBuilder Builder(string mode) => DistributedApplication.CreateBuilder(new DistributedApplicationOptions
    {
        Args = [$"--TTMall:Infrastructure={mode}", $"--TTMall:DataRoot={_dataRoot}"],
        DisableDashboard = true,
    });

    [Fact]
    public void Containers_mode_uses_aspires_container_resources_under_the_same_names()
    {
        var builder = Builder("Containers");
        var mall = builder.AddMallInfrastructure(() => new ContainerEngineStatus(true, "docker 28"));

        Assert.Equal(InfrastructureMode.Containers, mall.Mode);
        Assert.IsType<Aspire.Hosting.ApplicationModel.PostgresServerResource>(builder.Resources.Single(r => r.Name == "postgres"));
        // Not Aspire's database resources: their connection strings log in as the superuser.
        Assert.All(MallInfrastructure.DatabaseNames, name =>
        {
            var database = Assert.IsType<ConnectionStringResource>(mall.Database(name).Resource);
            Assert.Contains($"Username={MallDatabases.Role(name)};", database.ConnectionStringExpression.ValueExpression);
        });
        Assert.IsType<RedisResource>(mall.Redis.Resource);
        Assert.IsType<RabbitMQServerResource>(mall.RabbitMq.Resource);
        Assert.Equal("redis", mall.Redis.Resource.Name);
        Assert.Equal("rabbitmq", mall.RabbitMq.Resource.Name);
        Assert.False(Directory.Exists(_dataRoot), "containers mode must not create local data");
    }

    [SkippableFact]
    public void Local_mode_runs_the_machines_servers_with_real_health_checks_under_the_same_names()
    {
        Skip.If(LocalPostgres.FindBinDirectory() is null || !File.Exists(LocalRabbitMq.ServerScript) || Executables.FindOnPath("redis-server") is null,
            "Local mode needs the postgresql, redis-server and rabbitmq-server packages (./mall test installs them).");

        var builder = Builder("Local");
        var mall = builder.AddMallInfrastructure(() => throw new InvalidOperationException("Local mode must not ask the engine"));

        Assert.Equal(InfrastructureMode.Local, mall.Mode);
        var postgres = Assert.IsType<LocalServerResource>(builder.Resources.Single(r => r.Name == "postgres"));
        Assert.IsType<LocalServerResource>(mall.Redis.Resource);
        Assert.IsType<LocalServerResource>(mall.RabbitMq.Resource);
        Assert.All(MallInfrastructure.DatabaseNames, name =>
        {
            var database = Assert.IsType<ConnectionStringResource>(mall.Database(name).Resource);
            Assert.Contains($"Username={MallDatabases.Role(name)};", database.ConnectionStringExpression.ValueExpression);
        });

        foreach (var resource in builder.Resources.Where(r => r is not ParameterResource))
        {
            Assert.True(resource.Annotations.OfType<HealthCheckAnnotation>().Any(), $"{resource.Name} has no health check");
        }

        var endpoint = postgres.Annotations.OfType<EndpointAnnotation>().Single();
        Assert.False(endpoint.IsProxied);
        Assert.Equal(endpoint.Port, endpoint.TargetPort);
        Assert.True(Directory.Exists(Path.Combine(_dataRoot, "secrets")));
    }
}
