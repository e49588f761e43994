namespace TTMall.Eureka;

public static class InstanceStatuses
{
    /// <summary>Case-insensitive; anything unrecognised is UNKNOWN, as Eureka itself reads it.</summary>
    public static InstanceStatus Parse(string? text) => TryParse(text, out var status) ? status : InstanceStatus.UNKNOWN;

    /// <summary>One status by its name, case-insensitively: Enum.TryParse would also take "1" or "UP,DOWN" (read as DOWN).</summary>
    public static bool TryParse(string? text, out InstanceStatus status)
    {
        var name = text?.Trim();
        foreach (var candidate in Enum.GetValues<InstanceStatus>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = InstanceStatus.UNKNOWN;
        return false;
    }
}
