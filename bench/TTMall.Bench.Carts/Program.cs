using TTMall.Bench.Carts;

return await CartsBenchmark.RunAsync(args);
