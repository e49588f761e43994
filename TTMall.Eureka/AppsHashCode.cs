namespace TTMall.Eureka;

/// <summary>
/// Eureka's consistency check between a client's copy and the server: every instance counted by status,
/// statuses in ordinal order, written as NAME_count_ (e.g. "DOWN_1_UP_3_"); empty for an empty registry.
/// </summary>
public static class AppsHashCode
{
    public static string Compute(IEnumerable<InstanceInfo> instances)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            var name = instance.Status.ToString();
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        return string.Concat(counts.Select(c => $"{c.Key}_{c.Value}_"));
    }
}
