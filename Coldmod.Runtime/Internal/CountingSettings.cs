namespace Coldmod.Runtime.Internal;

// How a module counts. Sampled (the default): every call of a method is counted exactly until ExactBound, then the
// probe goes quiet and the rest is estimated from sampling windows of about WindowBudget calls. Exact
// (COLDMOD_COUNTS=exact, for tests and staging): every call takes the counting path.
// A WindowBudget of 0 opens no windows (tests that must see the probe stay quiet).
internal sealed record CountingSettings(bool ExactEverywhere, long ExactBound, int WindowBudget)
{
    public const string VariableName = "COLDMOD_COUNTS";

    public static CountingSettings Sampled { get; } = new(ExactEverywhere: false, ExactBound: 4096, WindowBudget: 64);

    public static CountingSettings Exact { get; } = new(ExactEverywhere: true, ExactBound: long.MaxValue, WindowBudget: int.MaxValue);

    private static readonly Lazy<CountingSettings> s_fromEnvironment = new(() => Parse(Environment.GetEnvironmentVariable(VariableName), RuntimeLog.Report));

    public static CountingSettings FromEnvironment => s_fromEnvironment.Value;

    // What a module registered now counts with: a test may choose for the modules it registers on its own thread.
    public static CountingSettings Current => ForThisThread ?? FromEnvironment;

    [field: ThreadStatic]
    public static CountingSettings? ForThisThread { get; set; }

    public static CountingSettings Parse(string? value, Action<string> report)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "sampled":
                return Sampled;
            case "exact":
                return Exact;
            default:
                report($"{VariableName}={value} is not a counting mode; use exact or sampled. Counting sampled (exact up to {Sampled.ExactBound} calls a method).");
                return Sampled;
        }
    }
}
