namespace TTMall.Hosting.Local;

/// <summary>Where a local RabbitMQ node keeps its files.</summary>
public sealed record RabbitMqLayout(string Root)
{
    public string Home => Path.Combine(Root, "home");
    public string MnesiaBase => Path.Combine(Root, "mnesia");
    public string LogBase => Path.Combine(Root, "log");
    public string ConfigFile => Path.Combine(Root, "rabbitmq.conf");
    public string EnvironmentFile => Path.Combine(Root, "rabbitmq-env.conf");
    public string AdvancedConfigFile => Path.Combine(Root, "advanced.config");
    public string EnabledPluginsFile => Path.Combine(Root, "enabled_plugins");
    public string FeatureFlagsFile => Path.Combine(Root, "feature_flags");
}
