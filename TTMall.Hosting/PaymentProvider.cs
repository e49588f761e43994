using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting;

/// <summary>The payment provider's process and the API key its callers authenticate with.</summary>
public sealed record PaymentProvider(IResourceBuilder<ProjectResource> Process, IResourceBuilder<ParameterResource> ApiKey);
