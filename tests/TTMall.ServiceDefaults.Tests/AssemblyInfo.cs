// The tests measure how fast the client reacts (a second, a lease of three): two at once on two cores would only
// blur those measurements.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
