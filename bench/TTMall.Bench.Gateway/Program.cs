using TTMall.Bench;
using TTMall.Bench.Gateway;

return await BenchRunner.RunAsync(args, BenchSettings.Parse, BenchSettings.Usage, "ttmall-bench-gateway-",
    (settings, temp, ct) => new GatewayBenchmark(settings, temp).RunAsync(ct));
