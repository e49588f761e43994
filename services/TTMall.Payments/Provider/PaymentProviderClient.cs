using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TTMall.ServiceDefaults.Http;

namespace TTMall.Payments.Provider;

/// <summary>
/// The card network's sandbox over HTTP. Every call carries an Idempotency-Key derived from the payment, so asking again
/// after a lost answer returns the first result instead of charging twice; that is what makes retrying safe here.
/// </summary>
public sealed partial class PaymentProviderClient(HttpClient http, IOptions<PaymentProviderOptions> options, ILogger<PaymentProviderClient> logger)
{
    public const string HttpClientName = "payment-provider";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Attempts at one charge within one request: the provider's transient failures (503) are asked again at once.</summary>
    public const int MaxAttempts = 3;

    public async Task<ChargeOutcome> ChargeAsync(Guid paymentId, Guid orderId, decimal amount, PaymentCard card, CancellationToken cancellationToken)
    {
        ChargeOutcome outcome = new ChargeOutcome.Unknown("The provider was not asked.");
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            (outcome, var retryAfter) = await ChargeOnceAsync(paymentId, orderId, amount, card, cancellationToken);
            if (retryAfter is not { } delay || attempt == MaxAttempts)
            {
                break;
            }

            await Task.Delay(delay, cancellationToken);
        }

        return outcome;
    }

    /// <returns>The outcome, and when the provider said it failed transiently, how long to wait before asking again.</returns>
    private async Task<(ChargeOutcome Outcome, TimeSpan? RetryAfter)> ChargeOnceAsync(
        Guid paymentId, Guid orderId, decimal amount, PaymentCard card, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, "v1/charges", $"charge-{paymentId:N}", new
        {
            amount,
            currency = "CNY",
            card = new { number = card.Number, expiry = card.Expiry, cvc = card.Cvc },
            reference = orderId.ToString(),
        });
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.Timeout);
            using var response = await http.SendAsync(request, timeout.Token);
            switch (response.StatusCode)
            {
                case HttpStatusCode.Created:
                    var charge = await response.Content.ReadFromJsonAsync<ChargeResponse>(Json, timeout.Token);
                    return (charge?.Id is { Length: > 0 } id
                        ? new ChargeOutcome.Charged(id)
                        : new ChargeOutcome.Unknown("The provider's answer had no charge id."), null);
                case HttpStatusCode.PaymentRequired:
                    var problem = await response.Content.ReadFromJsonAsync<ProviderProblem>(Json, timeout.Token);
                    return (new ChargeOutcome.Declined(problem?.Detail ?? problem?.Title ?? "The card was declined."), null);
                case HttpStatusCode.ServiceUnavailable:
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200);
                    return (new ChargeOutcome.Unknown("The card network failed transiently."), wait < MaxRetryAfter ? wait : MaxRetryAfter);
                default:
                    LogUnexpected(logger, paymentId, (int)response.StatusCode);
                    return (new ChargeOutcome.Unknown($"The provider answered {(int)response.StatusCode}."), null);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return (new ChargeOutcome.Unknown(e is OperationCanceledException ? "The provider did not answer in time." : "The provider could not be reached."), null);
        }
    }

    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(1);

    /// <returns>The refund's id.</returns>
    /// <exception cref="HttpRequestException">The provider did not confirm it: the message is delivered again, and the same key asks again.</exception>
    public async Task<string> RefundAsync(Guid paymentId, string chargeId, decimal amount, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, "v1/refunds", $"refund-{paymentId:N}", new { charge = chargeId, amount });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        using var response = await http.SendAsync(request, timeout.Token);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new HttpRequestException($"The provider refused refunding charge {chargeId}: {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var refund = await response.Content.ReadFromJsonAsync<RefundResponse>(Json, timeout.Token);
        return refund?.Id ?? throw new HttpRequestException("The provider's refund answer had no id.");
    }

    /// <summary>
    /// What became of the charges made for an order, for a payment whose answer was lost and whose card is not kept:
    /// a succeeded charge decides it, so does a declined one; none at all, long after the call was given up, means the
    /// card was never charged.
    /// </summary>
    public async Task<ChargeOutcome> FindChargeAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Url!, $"v1/charges?reference={orderId}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.Timeout);
            using var response = await http.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new ChargeOutcome.Unknown($"The provider answered {(int)response.StatusCode}.");
            }

            var charges = (await response.Content.ReadFromJsonAsync<ChargeList>(Json, timeout.Token))?.Items ?? [];
            return charges.FirstOrDefault(c => c.Status == "succeeded") is { Id: { Length: > 0 } id }
                ? new ChargeOutcome.Charged(id)
                : charges.Count > 0
                    ? new ChargeOutcome.Declined("The card was declined.")
                    : new ChargeOutcome.Declined("The provider did not answer in time and never charged the card; pay again.");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return new ChargeOutcome.Unknown("The provider could not be reached.");
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string idempotencyKey, object body)
    {
        var settings = options.Value;
        var request = new HttpRequestMessage(method, new Uri(settings.Url ?? throw new InvalidOperationException($"{PaymentProviderOptions.Section}:Url is not set."), path))
        {
            Content = JsonContent.Create(body, options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        request.Headers.Add(RepeatableRequests.IdempotencyKeyHeader, idempotencyKey);
        return request;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The payment provider answered {Status} for payment {PaymentId}; it stays pending")]
    private static partial void LogUnexpected(ILogger logger, Guid paymentId, int status);

    private sealed record ChargeResponse(string? Id, string? Status);

    private sealed record ChargeList(List<ChargeResponse>? Items);

    private sealed record RefundResponse(string? Id, string? Status);

    private sealed record ProviderProblem(string? Title, string? Detail, string? Code);
}
