namespace TTMall.Products.Data;

/// <summary>One line of a product's specification table, e.g. 轴体 Switch: Cherry MX 红轴.</summary>
public sealed record ProductSpec(string Name, string Value);
