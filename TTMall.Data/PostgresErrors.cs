using Npgsql;

namespace TTMall.Data;

/// <summary>
/// The database refusals a service answers rather than fails on. EF Core wraps what Postgres said in a
/// DbUpdateException when SaveChanges fails, and not when a statement was run directly; both are recognised.
/// </summary>
public static class PostgresErrors
{
    /// <summary>A unique index refused the row (23505): someone else, often at the same moment, got there first.</summary>
    public static bool IsUniqueViolation(this Exception exception) => Is(exception, PostgresErrorCodes.UniqueViolation);

    /// <summary>A foreign key refused the row (23503): what it refers to does not exist (any more).</summary>
    public static bool IsForeignKeyViolation(this Exception exception) => Is(exception, PostgresErrorCodes.ForeignKeyViolation);

    private static bool Is(Exception exception, string sqlState) =>
        (exception as PostgresException ?? exception.InnerException as PostgresException)?.SqlState == sqlState;
}
