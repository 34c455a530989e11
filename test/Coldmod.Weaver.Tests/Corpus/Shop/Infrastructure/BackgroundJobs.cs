using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Shop.Infrastructure;

/// <summary>Async methods, iterators, lambdas and local functions: only the declared methods are traced.</summary>
public sealed class BackgroundJobs
{
    private readonly List<Func<CancellationToken, Task>> _jobs = new();
    private readonly Func<int, int> _backoff = attempt => Math.Min(1000, 10 << attempt);
    private int _runs;

    public int Runs => _runs;

    public void Enqueue(Func<CancellationToken, Task> job) => _jobs.Add(job);

    public void Enqueue(Action job) => _jobs.Add(_ => { job(); return Task.CompletedTask; });

    public async Task RunAllAsync(CancellationToken cancellationToken)
    {
        foreach (var job in _jobs)
        {
            await RunWithRetryAsync(job, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> RunWithRetryAsync(Func<CancellationToken, Task> job, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                await job(cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _runs);
                return true;
            }
            catch (Exception) when (attempt < 2)
            {
                await Task.Delay(_backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
        }

        return false;
    }

    public ValueTask<int> CountAsync() => new(_jobs.Count);

    public async ValueTask DrainAsync()
    {
        var pending = _jobs.Count;
        _jobs.Clear();
        await Task.Yield();
        _runs += pending;
    }

    public async void Fire()
    {
        await RunAllAsync(CancellationToken.None);
    }

    public async IAsyncEnumerable<int> TicksAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(1, cancellationToken);
            yield return i;
        }
    }

    public static IEnumerable<int> Fibonacci(int count)
    {
        var (a, b) = (0, 1);
        for (var i = 0; i < count; i++)
        {
            yield return a;
            (a, b) = (b, a + b);
        }
    }

    public IEnumerable<string> Describe()
    {
        // An iterator local function and a lambda capturing a local.
        var prefix = "job";
        return Numbered().Select(n => $"{prefix} #{n}");

        IEnumerable<int> Numbered()
        {
            for (var i = 1; i <= _jobs.Count; i++)
            {
                yield return i;
            }
        }
    }

    public Task<int> MeasureAsync(int samples)
    {
        return SampleAsync();

        // An async local function capturing a parameter.
        async Task<int> SampleAsync()
        {
            var total = 0;
            for (var i = 0; i < samples; i++)
            {
                await Task.Yield();
                total += i;
            }

            return total;
        }
    }

    public int Score(IEnumerable<int> values)
    {
        var bonus = 3;
        var scored = values.Select(v => v * bonus).Where(static v => v % 2 == 0);
        return Total(scored);

        static int Total(IEnumerable<int> items) => items.Sum();
    }

    public Func<Task<int>> Deferred(int value) => async () =>
    {
        await Task.Yield();
        return value * 2;
    };
}
