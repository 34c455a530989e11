using System.Text;
using BenchmarkDotNet.Attributes;
using Coldmod.TestSupport;
using Coldmod.Weaver;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Benchmarks;

/// <summary>
/// How long reading the srcs of a large assembly takes: a generated assembly of 2,000 classes with
/// 20 methods each (overloads, generics, async, properties), with its portable PDB. Weaving it is
/// measured too, as the full cost the build pays.
/// </summary>
[MemoryDiagnoser]
public class ScanLargeAssembly
{
    private const int Classes = 2_000;
    private string _assembly = "";
    private string _pristine = "";
    private string _weaveTarget = "";
    private RootMarker? _root;

    [GlobalSetup]
    public void Setup()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"coldmod-scan-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, RootMarker.FileName), "");
        _root = RootMarker.Load(Path.Combine(directory, RootMarker.FileName));
        var sources = new List<SourceInput>();
        for (var file = 0; file < Classes / 100; file++)
        {
            var path = Path.Combine(directory, "src", $"File{file}.cs");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, GenerateFile(file));
            sources.Add(new SourceInput(path));
        }

        _assembly = TestCompilation.Compile("Large", sources, Path.Combine(directory, "bin"), optimize: true).AssemblyPath;
        _pristine = _assembly + ".pristine";
        File.Copy(_assembly, _pristine, overwrite: true);
        File.Copy(Path.ChangeExtension(_assembly, ".pdb"), _pristine + ".pdb", overwrite: true);
        _weaveTarget = Path.Combine(directory, "weave", "Large.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(_weaveTarget)!);
        Console.WriteLine($"// Large.dll: {new FileInfo(_assembly).Length / 1024} KiB, {SrcScanner.Scan(_assembly, _root).Srcs.Count} srcs");
    }

    [Benchmark]
    public int Scan() => SrcScanner.Scan(_assembly, _root!).Srcs.Count;

    [IterationSetup(Target = nameof(Weave))]
    public void RestoreUnwoven()
    {
        File.Copy(_pristine, _weaveTarget, overwrite: true);
        File.Copy(_pristine + ".pdb", Path.ChangeExtension(_weaveTarget, ".pdb"), overwrite: true);
    }

    [Benchmark]
    public int Weave() =>
        AssemblyWeaver.Weave(new WeaveOptions(_weaveTarget, _root!, typeof(Coldmod.Runtime.ColdmodModules).Assembly.Location)).Srcs.Count;

    private static string GenerateFile(int file)
    {
        var text = new StringBuilder("using System.Collections.Generic;\nusing System.Threading.Tasks;\n");
        text.Append($"namespace Large.N{file};\n");
        for (var c = 0; c < 100; c++)
        {
            var name = $"C{file}_{c}";
            text.Append($$"""
                public class {{name}}<T>
                {
                    private int _x;
                    public {{name}}(int x) { _x = x; }
                    public int X { get { return _x; } set { _x = value; } }
                    public int M0(int a) => a + _x;
                    public int M0(long a) => (int)a + _x;
                    public int M0(string a) => a.Length + _x;
                    public T M1(T t) { return t; }
                    public U M2<U>(U u, T t) { return u; }
                    public List<T> M3(IEnumerable<T> items) { return new List<T>(items); }
                    public async Task<int> M4(int a) { await Task.Yield(); return a; }
                    public IEnumerable<int> M5(int n) { for (var i = 0; i < n; i++) { yield return i; } }
                    public int M6(ref int a, out int b) { b = a; return a++; }
                    public int M7(int[] a) { return a.Length; }
                    public int M8(int[,] a) { return a.Length; }
                    public int M9((int, string) t) { return t.Item1; }
                    public int M10(int? a) { return a ?? 0; }
                    public static int S0(int a) { return a * 2; }
                    public static int S1(params int[] a) { return a.Length; }
                    public override string ToString() { return "x"; }
                    public static {{name}}<T> operator +({{name}}<T> a, {{name}}<T> b) { return a; }
                }

                """);
        }

        return text.ToString();
    }
}
