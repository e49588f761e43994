namespace TTMall.Hosting.Local;

/// <summary>Ports a local RabbitMQ node uses: AMQP, Erlang distribution, and its own port mapper (epmd).</summary>
public sealed record RabbitMqPorts(int Amqp, int Distribution, int Epmd);
