namespace TTMall.Discovery.Registry;

public enum RenewOutcome { Renewed, NotFound, Conflict }
