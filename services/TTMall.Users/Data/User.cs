namespace TTMall.Users.Data;

public sealed class User
{
    public Guid Id { get; set; }

    /// <summary>As the user typed it (trimmed); shown back to them and put in their access tokens.</summary>
    public required string Email { get; set; }

    /// <summary>Upper-case invariant form: the unique key, so an address is taken whatever its letters' case.</summary>
    public required string NormalizedEmail { get; set; }

    public required string DisplayName { get; set; }
    public string? Phone { get; set; }

    /// <summary>ASP.NET Core Identity's PBKDF2 format (version, algorithm, salt and iterations inside).</summary>
    public required string PasswordHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The mall's staff, who may change prices. Only the seed sets it (<see cref="UsersSeed"/>, for staff@ttmall.local);
    /// no request can, so nobody makes themselves staff.
    /// </summary>
    public bool IsStaff { get; set; }

    /// <summary>When the owner of the address proved they read its mail; until then the account cannot sign in.</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>SHA-256 of the code last mailed to confirm the address; null once used, or after too many wrong tries.</summary>
    public byte[]? ConfirmationCodeHash { get; set; }

    public DateTimeOffset? ConfirmationExpiresAt { get; set; }
    public int ConfirmationAttempts { get; set; }
}
