using System.Runtime.CompilerServices;

// The scheduler benchmark drives the internal scheduling loop with in-memory nodes and a no-op binder.
[assembly: InternalsVisibleTo("SchedulerBench")]
[assembly: InternalsVisibleTo("ClusterBench")]
