namespace TTMall.Discovery.Registry;

public enum RegisterOutcome { Registered, Invalid, Full }
