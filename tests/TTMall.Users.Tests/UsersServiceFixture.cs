using TTMall.ServiceDefaults.Security;
using TTMall.Users.Data;

namespace TTMall.Users.Tests;

/// <summary>
/// One set of real servers (Postgres, Redis, RabbitMQ) and one users service on a real port for every test class
/// of this project: starting the servers is most of the run time, so the classes share them and take turns.
/// Tests that need their own settings or a second replica start more hosts on the same database.
/// </summary>
public sealed class UsersServiceFixture : IAsyncLifetime
{
    private readonly MallInfrastructureFixture _infrastructure = new();
    private MallServiceHost<UsersDbContext>? _service;

    public MallServiceHost<UsersDbContext> Service => _service ?? throw new InvalidOperationException("The service is not started.");

    /// <summary>
    /// Every test signs in from this machine, so the limit on sign-ins per client address is raised out of the way;
    /// tests of that limit set it back, and use client addresses of their own.
    /// </summary>
    private static readonly (string Key, string Value)[] Defaults = [("Users:SignInAttemptsPerClient", "1000000"), ("Users:SignUpsPerClient", "1000000")];

    /// <summary>Another users service on the same usersdb, as a second replica would be, with extra settings.</summary>
    public MallServiceHost<UsersDbContext> StartReplica(params (string Key, string Value)[] settings) =>
        new(_infrastructure.ConnectionStrings
            // Users alone signs access tokens, so it alone is given the private key.
            .Append(KeyValuePair.Create($"{JwtOptions.Section}:SigningKey", (string?)TestTokens.SigningKey))
            .Concat(Defaults.Concat(settings).Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value));

    public async Task InitializeAsync()
    {
        await _infrastructure.InitializeAsync();
        _service = StartReplica();
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await _infrastructure.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class UsersCollection : ICollectionFixture<UsersServiceFixture>
{
    public const string Name = "users service";
}
