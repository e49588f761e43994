using Microsoft.AspNetCore.Identity;
using TTMall.Data;
using TTMall.Users.Data;

namespace TTMall.Users;

public static class UsersServiceExtensions
{
    public static IHostApplicationBuilder AddUsersService(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UsersOptions>()
            .Bind(builder.Configuration.GetSection(UsersOptions.Section))
            .Validate(o => o.IsValid(), $"{UsersOptions.Section}: limits, windows and lifetimes must be positive.")
            .ValidateOnStart();

        builder.AddServiceDatabase<UsersDbContext>(UsersDbContext.ConnectionName, "accounts");
        builder.Services.AddDatabaseMigration<UsersDbContext>(UsersSeed.Accounts(
            setting => builder.Configuration[$"{UsersOptions.Section}:{setting}"], TimeProvider.System));

        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddScoped<RateLimits>();
        builder.Services.AddScoped<SignInThrottle>();
        builder.Services.AddHostedService<StaleRateLimitSweeper>();
        builder.Services.AddScoped<Credentials>();
        builder.Services.AddScoped<Sessions>();
        builder.Services.AddScoped<SignUps>();
        return builder;
    }

    public static WebApplication MapUsersApi(this WebApplication app)
    {
        app.MapAccountsApi();
        app.MapSessionsApi();
        app.MapAddressesApi();
        return app;
    }
}
