using TTMall.Bench;
using TTMall.Bench.Products;

return await BenchRunner.RunAsync(args, BenchSettings.Parse, BenchSettings.Usage, "ttmall-bench-products-",
    (settings, temp, ct) => new ProductsBenchmark(settings, temp).RunAsync(ct));
