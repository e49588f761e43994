namespace TTMall.Orders;

/// <summary>A service orders reads from (carts, users, products) did not answer usefully: down, timing out, failing, or off contract.</summary>
/// <param name="Service">Its name in discovery.</param>
public sealed class DependencyUnavailableException(string service, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Service { get; } = service;
}
