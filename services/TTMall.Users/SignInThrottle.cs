using System.Net;
using Microsoft.Extensions.Options;

namespace TTMall.Users;

/// <summary>
/// Who may try a password, counted in usersdb (<see cref="RateLimits"/>) so that every replica sees the same counts.
/// Attempts are limited per client address whatever the e-mail (one address spraying a password across many accounts)
/// and per client address and e-mail (one address guessing one account's password). Wrong passwords are counted per
/// client address and e-mail too: enough of them shut that address out of that e-mail for a while, and no one else —
/// an account-wide lock would let any stranger lock the owner out. The e-mail is counted whether or not an account
/// has it, so the counts say nothing about which addresses are registered.
/// </summary>
public sealed class SignInThrottle(RateLimits limits, IOptions<UsersOptions> options)
{
    /// <summary>Counts an attempt; null when it may go ahead, else how long the client should wait.</summary>
    public async Task<TimeSpan?> AttemptAsync(IPAddress? client, string normalizedEmail, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var fromClient = await limits.CountAsync($"sign-in|{client}", o.SignInAttemptsPerClient, o.SignInClientWindow, cancellationToken);
        var forEmail = await limits.CountAsync($"sign-in|{client}|{normalizedEmail}", o.SignInAttemptsPerWindow, o.SignInWindow, cancellationToken);
        return fromClient > forEmail ? fromClient : forEmail ?? fromClient;
    }

    /// <summary>Whether this client has had too many wrong passwords for this e-mail lately.</summary>
    public async Task<bool> ShutOutAsync(IPAddress? client, string normalizedEmail, CancellationToken cancellationToken) =>
        await limits.ReachedAsync(WrongKey(client, normalizedEmail), options.Value.MaxFailedSignIns, options.Value.LockoutDuration, cancellationToken) is not null;

    public Task WrongPasswordAsync(IPAddress? client, string normalizedEmail, CancellationToken cancellationToken) =>
        limits.CountAsync(WrongKey(client, normalizedEmail), options.Value.MaxFailedSignIns, options.Value.LockoutDuration, cancellationToken);

    /// <summary>The right password starts this client's count for the e-mail again.</summary>
    public Task SignedInAsync(IPAddress? client, string normalizedEmail, CancellationToken cancellationToken) =>
        limits.ResetAsync(WrongKey(client, normalizedEmail), cancellationToken);

    private static string WrongKey(IPAddress? client, string normalizedEmail) => $"wrong-password|{client}|{normalizedEmail}";
}
