using Coldmod.Server.Internal.Store;

namespace Coldmod.Web.Tests;

// The signal a Collect call waits on for its batches' commits. A lost Set leaves a sender waiting for an ack forever
// (it sends nothing more until it has one), so every Set must reach the next wait.
public sealed class ProgressSignalTests
{
    [Fact]
    public void A_set_with_nobody_waiting_completes_the_next_wait()
    {
        var signal = new ProgressSignal();
        signal.Set();
        Assert.True(signal.WaitAsync().IsCompleted);
        Assert.False(signal.WaitAsync().IsCompleted);
    }

    [Fact]
    public async Task A_set_completes_the_waiting_task()
    {
        var signal = new ProgressSignal();
        var wait = signal.WaitAsync();
        Assert.False(wait.IsCompleted);
        signal.Set();
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_set_that_completes_a_task_nobody_awaits_any_more_still_reaches_the_next_wait()
    {
        // The Collect loop waits for a batch or for progress; when the batch comes first it stops awaiting the
        // progress task, and a commit may complete that task before the loop waits again.
        var signal = new ProgressSignal();
        var abandoned = signal.WaitAsync();
        signal.Set();
        Assert.True(abandoned.IsCompleted);
        Assert.True(signal.WaitAsync().IsCompleted);
    }

    [Fact]
    public void Waiting_twice_before_a_set_gives_the_one_outstanding_task()
    {
        var signal = new ProgressSignal();
        var first = signal.WaitAsync();
        var second = signal.WaitAsync();
        Assert.Same(first, second);
        signal.Set();
        Assert.True(first.IsCompleted);
    }
}
