namespace TTMall.Users.Data;

/// <summary>
/// One fixed-window counter of <see cref="RateLimits"/>, shared by every replica. The key is a SHA-256 of what is
/// counted (a client address, with an e-mail address), so the table holds no e-mail addresses.
/// </summary>
public sealed class RateLimitCounter
{
    public required byte[] Key { get; set; }
    public DateTimeOffset WindowStart { get; set; }
    public int Count { get; set; }
}
