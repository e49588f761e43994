namespace TTMall.Discovery.Registry;

public enum MetadataOutcome { Updated, NotFound, Invalid }
