namespace TTMall.Users;

/// <summary><c>Users:*</c>: the limits of the users service.</summary>
public sealed class UsersOptions
{
    public const string Section = "Users";

    /// <summary>Sign-in attempts per client address and e-mail per <see cref="SignInWindow"/>, over all replicas.</summary>
    public int SignInAttemptsPerWindow { get; set; } = 10;
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sign-in attempts per client address, whatever the e-mail, per <see cref="SignInClientWindow"/>.</summary>
    public int SignInAttemptsPerClient { get; set; } = 30;
    public TimeSpan SignInClientWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Wrong passwords from one client address for one e-mail within <see cref="LockoutDuration"/> (counted from the
    /// first) after which that address may not try that e-mail again until the period ends. Nobody else is affected.
    /// </summary>
    public int MaxFailedSignIns { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-ups per client address per <see cref="SignUpWindow"/>.</summary>
    public int SignUpsPerClient { get; set; } = 10;

    /// <summary>Mails sent to one address per <see cref="SignUpWindow"/>, so sign-ups cannot flood someone's mailbox.</summary>
    public int SignUpMailsPerEmail { get; set; } = 3;
    public TimeSpan SignUpWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a mailed confirmation code is good for, and how many wrong tries void it.</summary>
    public TimeSpan ConfirmationCodeLifetime { get; set; } = TimeSpan.FromHours(24);
    public int ConfirmationAttempts { get; set; } = 5;

    /// <summary>The longest window of any counter: older counters count nothing.</summary>
    internal TimeSpan LongestWindow => new[] { SignInWindow, SignInClientWindow, LockoutDuration, SignUpWindow }.Max();

    /// <summary>How long a refresh token is good for; each refresh issues a new one for this long again, within the session's lifetime.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a session lasts from its sign-in, however often it is refreshed: a stolen refresh token is not good forever.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    public int MaxAddressesPerUser { get; set; } = 20;

    /// <summary>
    /// When set (an Aspire secret parameter, never a literal), the account demo@ttmall.local exists with this
    /// password; unset, there is no demo account.
    /// </summary>
    public string? DemoPassword { get; set; }

    /// <summary>
    /// Like <see cref="DemoPassword"/>, for the staff account staff@ttmall.local, the one account whose access tokens
    /// carry the staff role; unset, there is no staff account.
    /// </summary>
    public string? StaffPassword { get; set; }

    internal bool IsValid() =>
        SignInAttemptsPerWindow > 0 && SignInWindow > TimeSpan.Zero
        && SignInAttemptsPerClient > 0 && SignInClientWindow > TimeSpan.Zero
        && SignUpsPerClient > 0 && SignUpMailsPerEmail > 0 && SignUpWindow > TimeSpan.Zero
        && ConfirmationCodeLifetime > TimeSpan.Zero && ConfirmationAttempts > 0
        && MaxFailedSignIns > 0 && LockoutDuration > TimeSpan.Zero
        && RefreshTokenLifetime > TimeSpan.Zero && SessionLifetime > TimeSpan.Zero && MaxAddressesPerUser > 0;
}
