using TTMall.Bench;
using TTMall.Bench.Carts;

return await BenchRunner.RunAsync(args, BenchSettings.Parse, BenchSettings.Usage, "ttmall-bench-carts-",
    (settings, temp, ct) => new CartsBenchmark(settings, temp).RunAsync(ct), StopMessages.Long);
