using TTMall.Bench.Gateway;

return await GatewayBenchmark.RunAsync(args);
