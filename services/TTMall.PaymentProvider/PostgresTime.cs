namespace TTMall.PaymentProvider;

public static class PostgresTime
{
    /// <summary>To microseconds, as Postgres keeps times: the first answer and a later read show the same time.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => new(time.Ticks - time.Ticks % 10, time.Offset);
}
