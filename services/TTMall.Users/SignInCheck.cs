using TTMall.Users.Data;

namespace TTMall.Users;

public abstract record SignInCheck
{
    public sealed record Success(User User) : SignInCheck;
    public sealed record Wrong : SignInCheck;
}
