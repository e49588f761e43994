namespace TTMall.Hosting;

/// <summary>Whether a container engine answers, and in words why (not).</summary>
public sealed record ContainerEngineStatus(bool IsAvailable, string Description);
