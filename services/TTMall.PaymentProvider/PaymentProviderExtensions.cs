using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TTMall.Data;
using TTMall.Data.Idempotency;
using TTMall.PaymentProvider.Data;

namespace TTMall.PaymentProvider;

public static class PaymentProviderExtensions
{
    public static IHostApplicationBuilder AddPaymentProvider(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProviderOptions>()
            .Bind(builder.Configuration.GetSection(ProviderOptions.Section))
            .Validate(o => o.ApiKey.Trim().Length >= ProviderOptions.MinApiKeyLength,
                $"{ProviderOptions.Section}:ApiKey must be set, at least {ProviderOptions.MinApiKeyLength} characters: callers authenticate with it.")
            .ValidateOnStart();
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization();

        builder.AddServiceDatabase<ProviderDbContext>(ProviderDbContext.ConnectionName, "charges");
        builder.Services.AddDatabaseMigration<ProviderDbContext>();
        builder.Services.AddIdempotencyKeys<ProviderDbContext>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CardFingerprints>();
        builder.Services.AddScoped<SandboxLatency>();
        builder.Services.AddScoped<ChargeDesk>();
        builder.Services.AddScoped<RefundDesk>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPaymentProvider(this IEndpointRouteBuilder app) =>
        app.MapChargesApi().MapRefundsApi().MapSandboxApi();
}
