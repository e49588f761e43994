using Microsoft.Extensions.DependencyInjection.Extensions;
using TTMall.Data;
using TTMall.Messaging;
using TTMall.Payments.Data;
using TTMall.Payments.Provider;
using TTMall.Payments.Refunds;
using TTMall.ServiceDefaults.Http;

namespace TTMall.Payments;

public static class PaymentsServiceExtensions
{
    /// <summary>Payments in paymentsdb; orders over HTTP through discovery; charges and refunds at the payment provider.</summary>
    public static IHostApplicationBuilder AddPaymentsService(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PaymentsDbContext>(PaymentsDbContext.ConnectionName, "payments");
        builder.Services.AddDatabaseMigration<PaymentsDbContext>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<PaymentProviderOptions>()
            .Bind(builder.Configuration.GetSection(PaymentProviderOptions.Section))
            .Validate(o => o.Url is { IsAbsoluteUri: true }, $"{PaymentProviderOptions.Section}:Url must be the provider's absolute URL.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ApiKey), $"{PaymentProviderOptions.Section}:ApiKey must be set.")
            .Validate(o => o.Timeout > TimeSpan.Zero, $"{PaymentProviderOptions.Section}:Timeout must be positive.")
            .ValidateOnStart();

        builder.Services.AddHttpClient<OrdersClient>(OrdersClient.HttpClientName, http => http.BaseAddress = OrdersClient.BaseAddress);
        // The provider is outside the mall: not found through discovery, and retried only by payments' own rules
        // (the same key, asked again later), never by the standard handler within one call.
#pragma warning disable EXTEXP0001 // Evaluation API: the one way to take the default handler off a single client.
        builder.Services.AddHttpClient<PaymentProviderClient>(PaymentProviderClient.HttpClientName)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddScoped<PaymentProcessor>();
        builder.Services.AddScoped<Refunder>();
        builder.Services.AddHostedService<PendingPayments>();
        builder.Services.AddUnavailableDependency<OrdersUnavailableException>("The orders service is not answering",
            "Payments read the order to pay from the orders service, which did not answer. Nothing was charged; try again in a moment.");

        builder.AddServiceMessaging<PaymentsDbContext>(consumers =>
        {
            consumers.AddConsumer<OrderCancelledConsumer>();
            consumers.AddConsumer<PaymentRefundRequestedConsumer>();
        });
        return builder;
    }
}
