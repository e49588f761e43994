using System.Net.Sockets;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;

namespace TTMall.Hosting.Local;

/// <summary>Health checks that ask the servers themselves, so the dashboard's "healthy" means they answer.</summary>
internal static class LocalHealthChecks
{
    public static IHealthCheck Postgres(IResourceWithConnectionString resource) => new Check(async ct =>
    {
        var builder = new NpgsqlConnectionStringBuilder(await resource.GetConnectionStringAsync(ct)) { Pooling = false, Timeout = 3 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(ct);
    });

    public static IHealthCheck Redis(int port, Func<CancellationToken, ValueTask<string?>> password) => new Check(async ct =>
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, ct);
        var stream = client.GetStream();
        var secret = await password(ct) ?? "";
        var request = $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(secret)}\r\n{secret}\r\n*1\r\n$4\r\nPING\r\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), ct);

        var buffer = new byte[256];
        var reply = new StringBuilder();
        while (!reply.ToString().Contains("PONG") && !reply.ToString().StartsWith('-'))
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0)
            {
                break;
            }

            reply.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        if (!reply.ToString().Contains("+PONG"))
        {
            throw new InvalidOperationException($"Redis answered '{reply.ToString().Trim()}' to AUTH and PING.");
        }
    });

    public static IHealthCheck RabbitMq(IResourceWithConnectionString resource) => new Check(async ct =>
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(await resource.GetConnectionStringAsync(ct) ?? throw new InvalidOperationException("No connection string.")),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
        };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
    });

    /// <summary>Asks epmd for its registered names (NAMES_REQ); it answers with its own port first.</summary>
    public static IHealthCheck Epmd(int port) => new Check(async ct =>
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, ct);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { 0, 1, (byte)'n' }, ct);
        var answer = new byte[4];
        await stream.ReadExactlyAsync(answer, ct);
        var reported = (answer[0] << 24) | (answer[1] << 16) | (answer[2] << 8) | answer[3];
        if (reported != port)
        {
            throw new InvalidOperationException($"epmd answered with port {reported}, expected {port}.");
        }
    });

    private sealed class Check(Func<CancellationToken, Task> probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await probe(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy(e.Message, e);
            }
        }
    }
}
