using System.Collections;
using System.Diagnostics;
using Coldmod.Runtime;
using Coldmod.Runtime.Internal;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>
/// The woven corpus must behave exactly like the unwoven one (results, out/ref values, exceptions and
/// their source lines) while counting every call exactly, once per invocation.
/// </summary>
public abstract class WovenBehaviourTests<TCorpus>(TCorpus corpus)
    where TCorpus : WovenCorpusFixture
{
    private const string Calls = "Woven.Corpus.Calls";
    private const string Flows = "Woven.Corpus.Flows";

    [Fact]
    public void Weaving_rewrites_the_assembly_with_one_probe_per_src()
    {
        Assert.Equal(WeaveOutcome.Woven, corpus.Result.Outcome);
        Assert.Contains(corpus.Result.Srcs, s => s.Key == "Woven.Corpus.Calls.Add(System.Int32,System.Int32)");
        Assert.Equal(corpus.Result.Srcs.Count, corpus.Result.Srcs.Select(s => s.Key).Distinct().Count());
    }

    [Theory]
    [InlineData("Add", new object[] { 2, 3 }, "Woven.Corpus.Calls.Add(System.Int32,System.Int32)")]
    [InlineData("CountDown", new object[] { 50 }, "Woven.Corpus.Calls.CountDown(System.Int32)")]
    [InlineData("LongLoop", new object[] { 100000 }, "Woven.Corpus.Calls.LongLoop(System.Int32)")]
    [InlineData("DivideOrMinusOne", new object[] { 5 }, "Woven.Corpus.Calls.DivideOrMinusOne(System.Int32)")]
    [InlineData("DivideOrMinusOne", new object[] { 0 }, "Woven.Corpus.Calls.DivideOrMinusOne(System.Int32)")]
    [InlineData("UsingAtStart", new object[] { 17 }, "Woven.Corpus.Calls.UsingAtStart(System.Int32)")]
    [InlineData("StackAllocSum", new object[] { 10 }, "Woven.Corpus.Calls.StackAllocSum(System.Int32)")]
    [InlineData("SpanSum", new object[] { 7 }, "Woven.Corpus.Calls.SpanSum(System.Int32)")]
    [InlineData("Switch", new object[] { 2 }, "Woven.Corpus.Calls.Switch(System.Int32)")]
    public void A_method_returns_what_it_returned_unwoven_and_counts_one_call(string method, object[] args, string key)
    {
        var expected = Reflect.Static(corpus.Unwoven, Calls, method, ParameterTypes(method, args), args);
        object? actual = null;
        var counts = corpus.CountCalls(() => actual = Reflect.Static(corpus.Woven, Calls, method, ParameterTypes(method, args), args));

        Assert.Equal(expected, actual);
        Assert.Equal(new Dictionary<string, long> { [key] = 1 }, counts);
    }

    [Fact]
    public void Overloads_are_counted_apart()
    {
        var counts = corpus.CountCalls(() =>
        {
            Reflect.Static(corpus.Woven, Calls, "Add", [typeof(int), typeof(int)], 1, 2);
            Reflect.Static(corpus.Woven, Calls, "Add", [typeof(long), typeof(long)], 1L, 2L);
            Reflect.Static(corpus.Woven, Calls, "Add", [typeof(long), typeof(long)], 3L, 4L);
        });

        Assert.Equal(1, counts["Woven.Corpus.Calls.Add(System.Int32,System.Int32)"]);
        Assert.Equal(2, counts["Woven.Corpus.Calls.Add(System.Int64,System.Int64)"]);
    }

    [Fact]
    public void A_lock_at_entry_still_locks()
    {
        var counts = corpus.CountCalls(() => Assert.Equal(1, Reflect.Static(corpus.Woven, Calls, "LockAtStart", new object())));
        Assert.Equal(1, counts["Woven.Corpus.Calls.LockAtStart(System.Object)"]);
    }

    [Fact]
    public void Ref_out_and_in_parameters_come_back_as_unwoven()
    {
        object?[] wovenArgs = [10, null, 21];
        object?[] unwovenArgs = [10, null, 21];
        var types = new[] { typeof(int).MakeByRefType(), typeof(int).MakeByRefType(), typeof(int).MakeByRefType() };

        Reflect.Static(corpus.Unwoven, Calls, "RefOutIn", types, unwovenArgs);
        var counts = corpus.CountCalls(() => Reflect.Static(corpus.Woven, Calls, "RefOutIn", types, wovenArgs));

        Assert.Equal(unwovenArgs, wovenArgs);
        Assert.Equal([11, 42, 21], wovenArgs);
        Assert.Equal(1, counts["Woven.Corpus.Calls.RefOutIn(System.Int32@,System.Int32@,System.Int32@)"]);
    }

    [Fact]
    public void A_finally_at_entry_runs_once_per_call()
    {
        var finallyRuns = Reflect.Type(corpus.Woven, Calls).GetField("FinallyRuns")!;
        var before = (int)finallyRuns.GetValue(null)!;

        Reflect.Static(corpus.Woven, Calls, "DivideOrMinusOne", 0);
        Reflect.Static(corpus.Woven, Calls, "DivideOrMinusOne", 2);

        Assert.Equal(before + 2, (int)finallyRuns.GetValue(null)!);
    }

    [Fact]
    public void Exceptions_thrown_through_woven_methods_keep_their_type_message_and_source_lines()
    {
        var unwoven = Reflect.Catch(() => Reflect.Static(corpus.Unwoven, Calls, "ThrowThrough", "boom"));
        IReadOnlyDictionary<string, long>? counts = null;
        Exception? woven = null;
        counts = corpus.CountCalls(() => woven = Reflect.Catch(() => Reflect.Static(corpus.Woven, Calls, "ThrowThrough", "boom")));

        Assert.IsType<InvalidOperationException>(woven);
        Assert.Equal(unwoven.Message, woven!.Message);
        Assert.Equal(CorpusFrames(unwoven), CorpusFrames(woven));
        Assert.Contains(CorpusFrames(woven), f => f.Line > 0);
        Assert.Equal(1, counts["Woven.Corpus.Calls.ThrowThrough(System.String)"]);
        Assert.Equal(1, counts["Woven.Corpus.Calls.Throw(System.String)"]);
    }

    [Fact]
    public void Constructors_count_each_invocation_including_chained_and_static_ones()
    {
        var counts = corpus.CountCalls(() =>
        {
            var counter = Reflect.New(corpus.Woven, "Woven.Corpus.Counter", 3);
            Assert.Equal(9, Reflect.Instance(counter, "Increment"));
            Assert.Equal(42, Reflect.Static(corpus.Woven, "Woven.Corpus.Once", "Read"));
        });

        Assert.Equal(1, counts["Woven.Corpus.Counter.#ctor(System.Int32)"]);
        Assert.Equal(1, counts["Woven.Corpus.Counter.#ctor"]);
        Assert.Equal(1, counts["Woven.Corpus.Counter.Increment"]);
        Assert.Equal(1, counts["Woven.Corpus.Once.#cctor"]);
        Assert.Equal(1, counts["Woven.Corpus.Once.Read"]);
    }

    [Fact]
    public void A_constructor_whose_base_constructor_throws_is_still_counted()
    {
        Exception? error = null;
        var counts = corpus.CountCalls(() => error = Reflect.Catch(() => Reflect.New(corpus.Woven, "Woven.Corpus.Derived", true)));

        Assert.IsType<ArgumentException>(error);
        Assert.Equal(1, counts["Woven.Corpus.Derived.#ctor(System.Boolean)"]);
        Assert.Equal(1, counts["Woven.Corpus.ThrowingBase.#ctor(System.Boolean)"]);
    }

    [Fact]
    public void Struct_methods_keep_mutating_the_struct()
    {
        var counts = corpus.CountCalls(() =>
        {
            var point = Reflect.New(corpus.Woven, "Woven.Corpus.Point", -3, 4);
            Assert.Equal(7, Reflect.Instance(point, "Manhattan"));
            Reflect.Instance(point, "Move", 10);
            Assert.Equal(7, point.GetType().GetField("X")!.GetValue(point));
        });

        Assert.Equal(1, counts["Woven.Corpus.Point.#ctor(System.Int32,System.Int32)"]);
        Assert.Equal(1, counts["Woven.Corpus.Point.Manhattan"]);
        Assert.Equal(1, counts["Woven.Corpus.Point.Move(System.Int32)"]);
    }

    [Fact]
    public void Generic_code_counts_once_per_call_over_value_and_reference_types()
    {
        var box = Reflect.Type(corpus.Woven, "Woven.Corpus.Box`1");
        var counts = corpus.CountCalls(() =>
        {
            var ints = Activator.CreateInstance(box.MakeGenericType(typeof(int)), 5)!;
            var strings = Activator.CreateInstance(box.MakeGenericType(typeof(string)), "s")!;
            Assert.Equal(5, Reflect.Instance(ints, "Get"));
            Assert.Equal("s", Reflect.Instance(strings, "Get"));
            var pair = ints.GetType().GetMethod("Pair")!.MakeGenericMethod(typeof(Guid)).Invoke(ints, [Guid.Empty]);
            Assert.Equal((5, Guid.Empty), pair);
            pair = strings.GetType().GetMethod("Pair")!.MakeGenericMethod(typeof(string)).Invoke(strings, ["t"]);
            Assert.Equal(("s", "t"), pair);
        });

        Assert.Equal(2, counts["Woven.Corpus.Box`1.#ctor(`0)"]);
        Assert.Equal(2, counts["Woven.Corpus.Box`1.Get"]);
        Assert.Equal(2, counts["Woven.Corpus.Box`1.Pair``1(``0)"]);
    }

    [Fact]
    public void Virtual_and_interface_dispatch_count_the_method_that_ran()
    {
        var counts = corpus.CountCalls(() =>
        {
            var square = Reflect.New(corpus.Woven, "Woven.Corpus.Square", 3.0);
            var area = Reflect.Type(corpus.Woven, "Woven.Corpus.Shape").GetMethod("Area")!.Invoke(square, null);
            Assert.Equal(9.0, area);
            Assert.Equal("square shape", Reflect.Type(corpus.Woven, "Woven.Corpus.Shape").GetMethod("Describe")!.Invoke(square, null));

            var greeter = Reflect.New(corpus.Woven, "Woven.Corpus.Greeter");
            var greetAll = Reflect.Type(corpus.Woven, "Woven.Corpus.IGreeter").GetMethod("GreetAll")!;
            Assert.Equal("hi a,hi b,hi c", greetAll.Invoke(greeter, [new[] { "a", "b", "c" }]));
        });

        Assert.Equal(1, counts["Woven.Corpus.Square.Area"]);
        Assert.Equal(1, counts["Woven.Corpus.Square.Describe"]);
        Assert.Equal(1, counts["Woven.Corpus.Shape.Describe"]);
        Assert.False(counts.ContainsKey("Woven.Corpus.Shape.Area"));
        Assert.Equal(1, counts["Woven.Corpus.IGreeter.GreetAll(System.Collections.Generic.IEnumerable{System.String})"]);
        Assert.Equal(1, counts["Woven.Corpus.IGreeter.Each(System.Collections.Generic.IEnumerable{System.String})"]);
        Assert.Equal(3, counts["Woven.Corpus.Greeter.Greet(System.String)"]);
    }

    [Fact]
    public void An_async_method_awaited_k_times_counts_k_not_its_resumptions()
    {
        const int K = 5;
        var counts = corpus.CountCalls(() =>
        {
            for (var i = 0; i < K; i++)
            {
                var task = (Task<int>)Reflect.Static(corpus.Woven, Flows, "TwiceAsync", i)!;
                Assert.Equal(i * 2, task.GetAwaiter().GetResult());
                var valueTask = (ValueTask<int>)Reflect.Static(corpus.Woven, Flows, "ValueTwiceAsync", i)!;
                Assert.Equal(i * 2, valueTask.AsTask().GetAwaiter().GetResult());
            }
        });

        Assert.Equal(K, counts["Woven.Corpus.Flows.TwiceAsync(System.Int32)"]);
        Assert.Equal(K, counts["Woven.Corpus.Flows.ValueTwiceAsync(System.Int32)"]);
    }

    [Fact]
    public void An_iterator_enumerated_k_times_counts_k()
    {
        const int K = 4;
        var counts = corpus.CountCalls(() =>
        {
            for (var i = 0; i < K; i++)
            {
                var items = ((IEnumerable)Reflect.Static(corpus.Woven, Flows, "Range", 6)!).Cast<int>().ToList();
                Assert.Equal([0, 1, 2, 3, 4, 5], items);
                var asyncItems = Reflect.Static(corpus.Woven, Flows, "RangeAsync", 3)!;
                Assert.Equal([0, 1, 2], DrainAsync((IAsyncEnumerable<int>)asyncItems));
            }
        });

        Assert.Equal(K, counts["Woven.Corpus.Flows.Range(System.Int32)"]);
        Assert.Equal(K, counts["Woven.Corpus.Flows.RangeAsync(System.Int32)"]);
    }

    [Fact]
    public void Lambdas_and_local_functions_count_their_own_calls_and_their_method_only_its_own()
    {
        int[] values = [1, 2, 3];
        var expected = Reflect.Static(corpus.Unwoven, Flows, "WithLambda", [values]);
        object? actual = null;
        var counts = corpus.CountCalls(() => actual = Reflect.Static(corpus.Woven, Flows, "WithLambda", [values]));

        Assert.Equal(expected, actual);
        Assert.Equal(
            new Dictionary<string, long>
            {
                ["Woven.Corpus.Flows.WithLambda(System.Int32[])"] = 1,
                ["Woven.Corpus.Flows.WithLambda(System.Int32[])=>0"] = values.Length,
                ["Woven.Corpus.Flows.WithLambda(System.Int32[])=>Local"] = 1,
            },
            counts);
    }

    [Fact]
    public void An_async_lambda_called_k_times_counts_k_not_its_resumptions()
    {
        const int K = 4;
        int? result = null;
        var counts = corpus.CountCalls(() => result = ((Task<int>)Reflect.Static(corpus.Woven, Flows, "WithAsyncLambdaAsync", K)!).GetAwaiter().GetResult());

        Assert.Equal(Enumerable.Range(1, K).Sum(), result);
        Assert.Equal(1, counts["Woven.Corpus.Flows.WithAsyncLambdaAsync(System.Int32)"]);
        Assert.Equal(K, counts["Woven.Corpus.Flows.WithAsyncLambdaAsync(System.Int32)=>0"]);
    }

    [Fact]
    public async Task Threads_calling_woven_methods_while_another_drains_lose_no_call()
    {
        const int Threads = 4;
        const int CallsPerThread = 200_000;
        var module = ColdmodModules.Find(corpus.Woven)!;
        var add = Reflect.Type(corpus.Woven, Calls).GetMethod("Add", [typeof(int), typeof(int)])!;
        var addDelegate = add.CreateDelegate<Func<int, int, int>>();
        var countDown = Reflect.Type(corpus.Woven, Calls).GetMethod("CountDown")!.CreateDelegate<Func<int, int>>();
        module.Drain();

        var totals = new Dictionary<string, long>();
        using var stop = new CancellationTokenSource();
        var drainer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Accumulate(totals, module.Drain());
            }
        });
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < CallsPerThread; i++)
            {
                addDelegate(t, i);
                if (t % 2 == 0)
                {
                    countDown(1);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        await stop.CancelAsync();
        await drainer;
        Accumulate(totals, module.Drain());

        Assert.Equal(Threads * CallsPerThread, totals["Woven.Corpus.Calls.Add(System.Int32,System.Int32)"]);
        Assert.Equal(Threads / 2 * CallsPerThread, totals["Woven.Corpus.Calls.CountDown(System.Int32)"]);
    }

    private static void Accumulate(Dictionary<string, long> totals, IEnumerable<HitCount> hits)
    {
        foreach (var hit in hits)
        {
            totals[hit.Key] = totals.GetValueOrDefault(hit.Key) + hit.Count;
        }
    }

    private static List<int> DrainAsync(IAsyncEnumerable<int> items)
    {
        var result = new List<int>();
        var enumerator = items.GetAsyncEnumerator();
        while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            result.Add(enumerator.Current);
        }

        enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return result;
    }

    private static Type[] ParameterTypes(string method, object[] args) =>
        method == "Add" && args.All(a => a is int) ? [typeof(int), typeof(int)] : args.Select(a => a.GetType()).ToArray();

    private static List<(string Method, int Line)> CorpusFrames(Exception e) =>
        new StackTrace(e, fNeedFileInfo: true).GetFrames()
            .Where(f => f.GetMethod()?.DeclaringType?.Namespace == "Woven.Corpus")
            .Select(f => (f.GetMethod()!.Name, f.GetFileLineNumber()))
            .ToList();
}

public sealed class ReleaseWovenBehaviourTests(ReleaseCorpus corpus) : WovenBehaviourTests<ReleaseCorpus>(corpus), IClassFixture<ReleaseCorpus>;

public sealed class DebugWovenBehaviourTests(DebugCorpus corpus) : WovenBehaviourTests<DebugCorpus>(corpus), IClassFixture<DebugCorpus>;
