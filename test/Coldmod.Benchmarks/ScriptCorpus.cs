using System.Globalization;
using System.Text;

namespace Coldmod.Benchmarks;

/// <summary>
/// Generates the workload's programs: small scripts with helper functions, bounded loops, branches,
/// calls and prints, the same text for the same seed. Every loop counts a variable it alone assigns up
/// to a bound, so every program ends.
/// </summary>
internal sealed class ScriptCorpus
{
    private static readonly string[] s_arithmetic = ["+", "-", "*", "+", "-", "%", "/"];
    private static readonly string[] s_comparisons = ["<", "<=", ">", ">=", "==", "!="];

    private readonly Random _random;
    private readonly StringBuilder _text = new();
    private int _indent;

    private ScriptCorpus(int seed)
    {
        _random = new Random(seed);
    }

    public static string[] Generate(int seed, int programs)
    {
        var corpus = new ScriptCorpus(seed);
        var result = new string[programs];
        for (var i = 0; i < programs; i++)
        {
            result[i] = corpus.Program(i);
        }

        return result;
    }

    private string Program(int number)
    {
        _text.Clear();
        Line($"// program {number}");
        var light = new List<(string Name, int Arity)>();
        for (var i = 0; i < _random.Next(2, 5); i++)
        {
            light.Add(LightFunction($"mix{i}", light));
        }

        var heavy = new List<(string Name, int Arity)>();
        for (var i = 0; i < _random.Next(1, 3); i++)
        {
            heavy.Add(LoopFunction($"walk{i}", light));
        }

        var recursive = _random.Next(3) == 0;
        if (recursive)
        {
            Line("fn fib(n) {");
            Line("    if (n < 2) { return n; }");
            Line("    return fib(n - 1) + fib(n - 2);");
            Line("}");
        }

        List<string> globals = ["x", "y", "z"];
        foreach (var global in globals)
        {
            Line($"let {global} = {_random.Next(1, 50)};");
        }

        for (var block = 0; block < _random.Next(2, 4); block++)
        {
            var counter = $"k{block}";
            Line($"let {counter} = 0;");
            Open($"while ({counter} < {_random.Next(3, 8)})");
            var (walk, _) = heavy[_random.Next(heavy.Count)];
            Line($"{Pick(globals)} = {walk}({counter} % 5 + {_random.Next(2, 5)}, {Expression(1, globals, light)}) % 100003;");
            Open($"if ({Condition(globals, light)})");
            Line($"{Pick(globals)} = {Expression(2, globals, light)};");
            Close();
            Open("else");
            Line($"{Pick(globals)} = {Pick(globals)} + {_random.Next(1, 9)};");
            Close();
            Line($"print {Expression(2, globals, light)};");
            Line($"{counter} = {counter} + 1;");
            Close();
        }

        if (recursive)
        {
            Line($"print fib({_random.Next(8, 13)});");
        }

        Line($"print x + y * 3 - z;");
        return _text.ToString();
    }

    private (string Name, int Arity) LightFunction(string name, List<(string Name, int Arity)> earlier)
    {
        List<string> parameters = _random.Next(2) == 0 ? ["a"] : ["a", "b"];
        Open($"fn {name}({string.Join(", ", parameters)})");
        // Only the declaration calls the helper before this one, so calls do not fan out down the chain.
        List<(string Name, int Arity)> callable = earlier.Count > 0 ? [earlier[^1]] : [];
        Line($"let t = {Expression(2, parameters, callable)};");
        Open($"if ({Condition([.. parameters, "t"], [])})");
        Line($"t = {Expression(2, [.. parameters, "t"], [])};");
        Close();
        Line($"return t % 10007;");
        Close();
        return (name, parameters.Count);
    }

    private (string Name, int Arity) LoopFunction(string name, List<(string Name, int Arity)> light)
    {
        Open($"fn {name}(n, seed)");
        Line("let s = seed;");
        Line("let i = 0;");
        List<string> readable = ["n", "s", "i"];
        Open("while (i < n)");
        if (_random.Next(3) == 0)
        {
            Line("// accumulate, folding large values back");
        }

        Line($"s = s + {Expression(2, readable, light)};");
        Open($"if ({Condition(readable, light)})");
        Line($"s = s % {_random.Next(97, 1000)};");
        Close();
        Line("i = i + 1;");
        Close();
        Line("return s;");
        Close();
        return (name, 2);
    }

    private string Condition(List<string> variables, List<(string Name, int Arity)> functions)
    {
        var comparison = $"{Expression(1, variables, functions)} {Pick(s_comparisons)} {Expression(1, variables, functions)}";
        return _random.Next(4) switch
        {
            0 => $"{comparison} && {Pick(variables)} {Pick(s_comparisons)} {_random.Next(100)}",
            1 => $"{comparison} || !({Pick(variables)} > {_random.Next(100)})",
            _ => comparison,
        };
    }

    private string Expression(int depth, List<string> variables, List<(string Name, int Arity)> functions)
    {
        var choice = depth <= 0 ? _random.Next(2) : _random.Next(6);
        switch (choice)
        {
            case 0:
                return Pick(variables);
            case 1:
                return _random.Next(1, 100).ToString(CultureInfo.InvariantCulture);
            case 2 when functions.Count > 0:
                var (name, arity) = functions[_random.Next(functions.Count)];
                var arguments = Enumerable.Range(0, arity).Select(_ => Expression(depth - 1, variables, []));
                return $"{name}({string.Join(", ", arguments)})";
            case 3:
                return $"({Expression(depth - 1, variables, functions)} {Pick(s_arithmetic)} {Expression(depth - 1, variables, functions)})";
            default:
                return $"{Expression(depth - 1, variables, functions)} {Pick(s_arithmetic)} {Expression(depth - 1, variables, functions)}";
        }
    }

    private string Pick(IReadOnlyList<string> items) => items[_random.Next(items.Count)];

    private void Open(string header)
    {
        Line(header + " {");
        _indent++;
    }

    private void Close()
    {
        _indent--;
        Line("}");
    }

    private void Line(string text) => _text.Append(' ', _indent * 4).Append(text).Append('\n');
}
