namespace TTMall.Orders.Data;

public static class Timestamps
{
    /// <summary>
    /// The time as Postgres keeps it (microseconds; .NET has tenths of them): an order answered from memory when it is
    /// written reads the same as when it is read back later.
    /// </summary>
    public static DateTimeOffset ToStored(this DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));
}
