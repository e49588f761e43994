// One cluster of real processes for every test, which kill and stop its parts: they must take turns.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
