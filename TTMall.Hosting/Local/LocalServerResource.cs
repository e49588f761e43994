using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting.Local;

/// <summary>A server from the machine's own packages, run by Aspire as an executable, with a connection string.</summary>
public sealed class LocalServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    private ReferenceExpression? _connectionString;

    public EndpointReference Endpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression
    {
        get => _connectionString ?? throw new InvalidOperationException($"The connection string of {Name} is not set.");
        internal set => _connectionString = value;
    }
}
