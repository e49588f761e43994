namespace TTMall.Users;

/// <summary><c>Users:*</c>: the limits of the users service.</summary>
public sealed class UsersOptions
{
    public const string Section = "Users";

    /// <summary>Sign-in attempts per client IP and e-mail per <see cref="SignInWindow"/>, on each replica.</summary>
    public int SignInAttemptsPerWindow { get; set; } = 10;
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wrong passwords in a row that lock an account, and for how long.</summary>
    public int MaxFailedSignIns { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a refresh token is good for; each refresh issues a new one for this long again.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    public int MaxAddressesPerUser { get; set; } = 20;

    /// <summary>
    /// When set (an Aspire secret parameter, never a literal), the account demo@ttmall.local exists with this
    /// password; unset, there is no demo account.
    /// </summary>
    public string? DemoPassword { get; set; }

    internal bool IsValid() =>
        SignInAttemptsPerWindow > 0 && SignInWindow > TimeSpan.Zero
        && MaxFailedSignIns > 0 && LockoutDuration > TimeSpan.Zero
        && RefreshTokenLifetime > TimeSpan.Zero && MaxAddressesPerUser > 0;
}
