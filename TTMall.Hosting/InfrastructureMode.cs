namespace TTMall.Hosting;

/// <summary>Where Postgres, Redis and RabbitMQ come from.</summary>
public enum InfrastructureMode
{
    /// <summary>Aspire's container resources; needs a container engine that answers.</summary>
    Containers,

    /// <summary>The machine's own server binaries (Debian packages), run as executable resources.</summary>
    Local,
}
