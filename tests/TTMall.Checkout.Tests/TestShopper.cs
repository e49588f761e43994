namespace TTMall.Checkout.Tests;

/// <summary>A shopper signed up and in through the users service, with clients of users, carts, orders and payments that send their token.</summary>
public sealed record TestShopper(Guid Id, string Token, Guid AddressId, HttpClient Users, HttpClient Cart, HttpClient Orders, HttpClient Payments) : IDisposable
{
    public void Dispose()
    {
        Users.Dispose();
        Cart.Dispose();
        Orders.Dispose();
        Payments.Dispose();
    }
}
