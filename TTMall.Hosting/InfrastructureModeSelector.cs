namespace TTMall.Hosting;

/// <summary>Chooses the infrastructure mode from the <c>TTMall:Infrastructure</c> setting and the container engine.</summary>
public static class InfrastructureModeSelector
{
    public const string SettingKey = "TTMall:Infrastructure";

    /// <param name="setting"><c>Auto</c> (or empty), <c>Containers</c> or <c>Local</c>, case-insensitive.</param>
    /// <param name="probeEngine">Asked only when the answer depends on it.</param>
    public static InfrastructureMode Select(string? setting, Func<ContainerEngineStatus> probeEngine)
    {
        var value = setting?.Trim();
        if (string.IsNullOrEmpty(value) || value.Equals("Auto", StringComparison.OrdinalIgnoreCase))
        {
            return probeEngine().IsAvailable ? InfrastructureMode.Containers : InfrastructureMode.Local;
        }

        if (value.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            return InfrastructureMode.Local;
        }

        if (value.Equals("Containers", StringComparison.OrdinalIgnoreCase))
        {
            var engine = probeEngine();
            return engine.IsAvailable
                ? InfrastructureMode.Containers
                : throw new MallSetupException(
                    $"{SettingKey} is 'Containers' but no container engine answers ({engine.Description}). " +
                    $"Start Docker or Podman, or set {SettingKey}=Local to run Postgres, Redis and RabbitMQ from this machine's packages.");
        }

        throw new MallSetupException(
            $"{SettingKey} is '{value}', which is not a mode. Use Auto (the default: containers when an engine answers), Containers or Local.");
    }
}
