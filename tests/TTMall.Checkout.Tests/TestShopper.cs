namespace TTMall.Checkout.Tests;

/// <summary>A shopper signed up and in through the users service, with clients of users, carts and orders that send their token.</summary>
public sealed record TestShopper(Guid Id, string Token, Guid AddressId, HttpClient Users, HttpClient Cart, HttpClient Orders) : IDisposable
{
    public void Dispose()
    {
        Users.Dispose();
        Cart.Dispose();
        Orders.Dispose();
    }
}
