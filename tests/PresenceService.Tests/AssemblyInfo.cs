// The functional tests start whole topologies and measure latency on a small machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
