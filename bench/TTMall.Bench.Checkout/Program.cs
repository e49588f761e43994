using TTMall.Bench;
using TTMall.Bench.Checkout;

return await BenchRunner.RunAsync(args, BenchSettings.Parse, BenchSettings.Usage, "ttmall-bench-checkout-",
    (settings, _, ct) => new CheckoutBenchmark(settings).RunAsync(ct));
