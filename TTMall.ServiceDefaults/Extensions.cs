using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using TTMall.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;
using Microsoft.Extensions.Logging;
using TTMall.Eureka.Client;
using TTMall.ServiceDefaults.Http;
using TTMall.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Authentication;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every TT Mall process has: telemetry to the dashboard, health endpoints, resilient HttpClients, problem details.</summary>
public static class ServiceDefaultsExtensions
{
    private const string HealthPath = "/health";
    private const string AlivePath = "/alive";

    /// <summary>MassTransit's activity source and meter (publish, send, consume), by name: this project does not reference it.</summary>
    private const string MassTransitDiagnostics = "MassTransit";

    /// <summary>TTMall.Messaging's relay, whose activity carries a checkout's trace from the outbox row to MassTransit's publish.</summary>
    private const string OutboxRelayDiagnostics = "TTMall.Messaging";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        var instance = TTMall.ServiceDefaults.ServiceInstance.FromEnvironment(builder.Environment.ApplicationName);
        builder.Services.AddSingleton(instance);
        builder.Services.AddProblemDetails();
        builder.Services.AddBadRequestProblemDetails();
        builder.Services.AddRequestBodyBound();
        builder.Services.AddClientAddressFromGateway();
        builder.Services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, HeadRequests.RouteAsGet>();
        // Chinese product names stay readable in responses instead of \uXXXX escapes.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));
        builder.Services.AddOpenApi();

        var eureka = builder.AddEurekaClient(instance.ServiceName, instance.InstanceId);
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(options =>
            {
                RetryOnlyWhatIsSafe(options.Retry);
                GiveUpOnSilentReads(options.AttemptTimeout);
            });
            http.AddServiceDiscovery();
            if (eureka)
            {
                http.AddHttpMessageHandler<UnreachableEndpointReporter>();
            }
        });

        return builder;
    }

    /// <summary>
    /// Retries go to another instance (service discovery picks afresh each attempt). A connection that was never
    /// made sent nothing, so any request is retried at once; other transient failures are retried, with back-off,
    /// only for requests that may be repeated (<see cref="RepeatableRequests"/>).
    /// </summary>
    private static void RetryOnlyWhatIsSafe(HttpRetryStrategyOptions retry)
    {
        retry.ShouldHandle = args => ValueTask.FromResult(
            RepeatableRequests.NothingWasSent(args.Outcome.Exception)
            || (RepeatableRequests.MayRepeat(args.Context.GetRequestMessage()) && HttpClientResiliencePredicates.IsTransient(args.Outcome)));
        retry.DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
            RepeatableRequests.NothingWasSent(args.Outcome.Exception) || args.Outcome.Exception is TimeoutRejectedException
                ? TimeSpan.Zero
                : null);
    }

    /// <summary>
    /// How long one attempt of a read (GET, HEAD) may wait for its instance's answer before it is abandoned and, safe to
    /// repeat, sent at once to another instance. A frozen or stalled instance accepts connections and answers nothing
    /// until discovery drops it; without this a read would wait the standard 10 s. Shorter than the gateway's answer
    /// timeout (3 s), so a read through the gateway that waits on such a dependency is still answered by the replica
    /// the gateway chose. Writes keep the standard attempt timeout: a slow instance may still be making them.
    /// </summary>
    public static readonly TimeSpan ReadAttemptTimeout = TimeSpan.FromSeconds(2);

    private static void GiveUpOnSilentReads(HttpTimeoutStrategyOptions attempt)
    {
        var others = attempt.Timeout;
        attempt.TimeoutGenerator = args => ValueTask.FromResult(
            args.Context.GetRequestMessage() is { } request && RepeatableRequests.IsRead(request.Method.Method)
                ? ReadAttemptTimeout
                : others);
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MassTransitDiagnostics))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(MassTransitDiagnostics)
                .AddSource(OutboxRelayDiagnostics)
                .AddAspNetCoreInstrumentation(options =>
                    // Health probes run every few seconds; tracing them buries the real requests.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthPath) && !context.Request.Path.StartsWithSegments(AlivePath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.TreatAbandonedHealthChecksAsCancelled();
        return builder;
    }

    /// <summary>
    /// The request pipeline every TT Mall process shares, and its endpoints: problem details for unhandled errors and
    /// bare status codes, the instance header, HEAD wherever GET is, bounded UTF-8 request bodies
    /// (<see cref="RequestBodies"/>), authentication and authorization when a scheme is configured; then
    /// <c>/health</c> (ready: every store answers) and <c>/alive</c> (the process is up), in every environment since the
    /// orchestrator, the gateway and discovery depend on them, and the OpenAPI document, with a browsable reference in
    /// Development. Call it before mapping the service's own endpoints.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseHeadAgainAfterRouting();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<TTMall.ServiceDefaults.ServiceInstanceHeaderMiddleware>();
        app.UseRequestBodyRules();
        if (app.Services.GetService<IAuthenticationSchemeProvider>() is not null)
        {
            // After the status-code pages, so a missing or rejected token is answered with problem details too
            // (where WebApplication would add these on its own, a 401 has an empty body).
            app.UseAuthentication();
            app.UseAuthorization();
        }

        app.MapHealthChecks(HealthPath);
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = registration => registration.Tags.Contains("live") });
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            Scalar.AspNetCore.ScalarEndpointRouteBuilderExtensions.MapScalarApiReference(app);
        }

        return app;
    }
}
