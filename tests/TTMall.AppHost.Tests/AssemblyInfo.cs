// Each test starts a whole mall; two at once would only fight over two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
