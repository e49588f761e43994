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

    /// <summary>Wrong passwords since the last successful sign-in or lock; reaching the limit locks the account.</summary>
    public int FailedSignIns { get; set; }

    /// <summary>Kept here rather than in a replica's memory, so every replica refuses a locked account.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
}
