namespace TTMall.Payments.Provider;

public sealed class PaymentProviderOptions
{
    public const string Section = "Payments:Provider";

    /// <summary>The provider's base address (the AppHost gives its endpoint).</summary>
    public Uri? Url { get; set; }

    /// <summary>The API key payments authenticates with; a secret parameter of the AppHost, never in code.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one call may take before payments stops waiting; the payment then stays pending and is asked about again.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
