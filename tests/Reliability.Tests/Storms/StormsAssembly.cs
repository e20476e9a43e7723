// One topology at a time on a shared machine: the storms' fixtures (and every other collection's) never overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
