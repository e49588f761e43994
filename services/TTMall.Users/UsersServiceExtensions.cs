using Microsoft.AspNetCore.HttpOverrides;
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

        builder.AddNpgsqlDbContext<UsersDbContext>(UsersDbContext.ConnectionName);
        builder.Services.AddDatabaseMigration<UsersDbContext>(UsersSeed.DemoAccount(
            () => builder.Configuration[$"{UsersOptions.Section}:{nameof(UsersOptions.DemoPassword)}"], TimeProvider.System));

        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddScoped<Credentials>();
        builder.Services.AddScoped<Sessions>();

        // Shoppers arrive through the gateway, so the client IP the sign-in limit is keyed on is the one the
        // gateway puts in X-Forwarded-For. Only proxies on loopback (the defaults) are believed, so a client
        // elsewhere cannot pick its own IP by sending the header itself.
        builder.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor);
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
