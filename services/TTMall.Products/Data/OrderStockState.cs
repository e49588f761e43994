namespace TTMall.Products.Data;

public enum OrderStockState
{
    Reserved,
    Rejected,
    Released,
}
