namespace TTMall.Eureka;

/// <summary>What happened to an instance, in a delta.</summary>
public enum ActionType
{
    ADDED,
    MODIFIED,
    DELETED,
}
