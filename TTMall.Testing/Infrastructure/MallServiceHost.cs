using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TTMall.Hosting;
using TTMall.ServiceDefaults.Security;

namespace TTMall.Testing.Infrastructure;

/// <summary>
/// One of the mall's services, run in the test process on a real Kestrel port (not a test server), with the
/// settings given: connection strings from <see cref="MallInfrastructureFixture"/>, Eureka off unless asked
/// for, and the test signing key's public half (the users service adds the private key). <typeparamref name="TMarker"/> is any public type of the service's assembly.
/// </summary>
public sealed class MallServiceHost<TMarker> : WebApplicationFactory<TMarker> where TMarker : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public MallServiceHost(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Eureka:Client:Enabled"] = "false",
            [$"{JwtOptions.Section}:PublicKeys"] = TestTokens.PublicKeys,
        }.Concat(settings).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        UseKestrel(0);
        StartServer();
    }

    /// <summary>http://127.0.0.1:port/ of the running service.</summary>
    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>
/// Access tokens for tests, signed with a test ES256 key generated per test run, whose public half
/// <see cref="MallServiceHost{TMarker}"/> gives every service.
/// </summary>
public static class TestTokens
{
    /// <summary>The private key, as the users service is given it (<c>Jwt:SigningKey</c>).</summary>
    public static string SigningKey { get; } = AccessTokenKeys.NewSigningKey(KeyId);

    /// <summary>Its public half, as every other service is given it (<c>Jwt:PublicKeys</c>).</summary>
    public static string PublicKeys { get; } = AccessTokenKeys.PublicKeySet(SigningKey);

    public const string KeyId = "test-key";

    public static string For(MallUser user, TimeSpan? lifetime = null) =>
        new AccessTokens(
            Microsoft.Extensions.Options.Options.Create(new JwtOptions { SigningKey = SigningKey, AccessTokenLifetime = lifetime ?? TimeSpan.FromMinutes(15) }),
            TimeProvider.System).Create(user).Token;

    public static MallUser NewUser(string name = "tester") => new(Guid.NewGuid(), $"{name}-{Guid.NewGuid():N}@example.test", name);
}
