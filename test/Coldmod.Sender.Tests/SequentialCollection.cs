namespace Coldmod.Sender.Tests;

// Senders drain process-wide counters and talk to servers on fixed ports: one test at a time.
[CollectionDefinition(nameof(SequentialCollection), DisableParallelization = true)]
public sealed class SequentialCollection;
