"""Developer tools: the fault-injecting proxy and the figures report."""
