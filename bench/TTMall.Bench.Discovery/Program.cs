using TTMall.Bench.Discovery;

// The tool runs itself a second time as the caller of step 4: another process, with its own Eureka client.
return args is [Caller.Mode, .. var callerArgs]
    ? await Caller.RunAsync(callerArgs)
    : await DiscoveryBenchmark.RunAsync(args);
