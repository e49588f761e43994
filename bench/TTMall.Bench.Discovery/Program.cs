using TTMall.Bench;
using TTMall.Bench.Discovery;

// The tool runs itself a second time as the caller of step 4: another process, with its own Eureka client.
return args is [Caller.Mode, .. var callerArgs]
    ? await Caller.RunAsync(callerArgs)
    : await BenchRunner.RunAsync(args, BenchSettings.Parse, BenchSettings.Usage, "ttmall-bench-discovery-",
        (settings, temp, ct) => new DiscoveryBenchmark(settings, temp).RunAsync(ct), StopMessages.Long);
