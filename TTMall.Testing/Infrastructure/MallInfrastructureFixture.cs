namespace TTMall.Testing.Infrastructure;

/// <summary>A <see cref="LocalMall"/> (real Postgres, Redis, RabbitMQ) shared by a test class or collection.</summary>
public sealed class MallInfrastructureFixture : IAsyncLifetime
{
    private LocalMall? _mall;

    private LocalMall Mall => _mall ?? throw new InvalidOperationException("The infrastructure is not started.");

    public string ConnectionString(string name) => Mall.ConnectionString(name);

    public IReadOnlyDictionary<string, string?> ConnectionStrings => Mall.ConnectionStrings;

    public string PostgresSuperuser => Mall.PostgresSuperuser;

    /// <inheritdoc cref="LocalMall.StopResourceAsync"/>
    public Task StopResourceAsync(string resource, CancellationToken cancellationToken = default) => Mall.StopResourceAsync(resource, cancellationToken);

    /// <inheritdoc cref="LocalMall.StartResourceAsync"/>
    public Task StartResourceAsync(string resource, CancellationToken cancellationToken = default) => Mall.StartResourceAsync(resource, cancellationToken);

    public async Task InitializeAsync() => _mall = await LocalMall.StartAsync();

    public async Task DisposeAsync()
    {
        if (_mall is not null)
        {
            await _mall.DisposeAsync();
        }
    }
}
