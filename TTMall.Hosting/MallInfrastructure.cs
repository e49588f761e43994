using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting;

/// <summary>
/// The mall's Postgres databases, Redis and RabbitMQ, by the connection-string names services use in both modes.
/// Each database's connection string logs in as its own role (see <see cref="MallDatabases"/>); <paramref name="Postgres"/>
/// is the server itself, whose connection string is the superuser's: for the AppHost and tests, never for a service.
/// </summary>
public sealed record MallInfrastructure(
    InfrastructureMode Mode,
    MallSettings Settings,
    IResourceBuilder<IResourceWithConnectionString> Postgres,
    IReadOnlyDictionary<string, IResourceBuilder<IResourceWithConnectionString>> Databases,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> RabbitMq)
{
    public const string ProductsDb = "productsdb";
    public const string UsersDb = "usersdb";
    public const string OrdersDb = "ordersdb";
    public const string PaymentsDb = "paymentsdb";
    /// <summary>The payment provider's own store: in the story a third party's, here one more database on the same server.</summary>
    public const string ProviderDb = "providerdb";
    public static readonly IReadOnlyList<string> DatabaseNames = [ProductsDb, UsersDb, OrdersDb, PaymentsDb, ProviderDb];

    public IResourceBuilder<IResourceWithConnectionString> Database(string name) => Databases[name];
}
