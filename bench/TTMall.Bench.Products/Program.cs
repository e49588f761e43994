using TTMall.Bench.Products;

return await ProductsBenchmark.RunAsync(args);
