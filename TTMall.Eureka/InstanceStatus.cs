namespace TTMall.Eureka;

/// <summary>An instance's status, as Eureka names them.</summary>
public enum InstanceStatus
{
    UP,
    DOWN,
    STARTING,
    OUT_OF_SERVICE,
    UNKNOWN,
}
