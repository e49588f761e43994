using Microsoft.EntityFrameworkCore;

namespace TTMall.Users.Data;

public static class UsersDbContextExtensions
{
    /// <summary>
    /// The user's row, locked until the transaction ends: changes to one user's addresses take turns, so the
    /// address limit and the single default hold even when replicas serve that user's requests at once.
    /// </summary>
    public static async Task<User?> LockUserAsync(this UsersDbContext db, Guid userId, CancellationToken cancellationToken) =>
        (await db.Users.FromSql($"SELECT * FROM users WHERE \"Id\" = {userId} FOR UPDATE").ToListAsync(cancellationToken))
        .SingleOrDefault();
}
