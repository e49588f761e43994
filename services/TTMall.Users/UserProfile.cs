using TTMall.Users.Data;

namespace TTMall.Users;

public sealed record UserProfile(Guid Id, string Email, string DisplayName, string? Phone, DateTimeOffset CreatedAt)
{
    public static UserProfile From(User user) => new(user.Id, user.Email, user.DisplayName, user.Phone, user.CreatedAt);
}
