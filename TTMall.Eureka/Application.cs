namespace TTMall.Eureka;

/// <summary>An application: its name (upper case) and its instances.</summary>
public sealed record Application(string Name, IReadOnlyList<InstanceInfo> Instances);
