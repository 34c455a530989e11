namespace Coldmod.Runtime.Tests;

// For tests that touch process-wide state (stderr, every registered module): they run alone, after the rest.
[CollectionDefinition(nameof(ProcessWideCollection), DisableParallelization = true)]
public sealed class ProcessWideCollection;
