namespace Coldmod.Runtime.Tests;

internal sealed class StderrCapture : IDisposable
{
    private readonly TextWriter _original = Console.Error;
    private readonly StringWriter _captured = new();

    public StderrCapture()
    {
        Console.SetError(_captured);
    }

    public string[] Lines => _captured.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        Console.SetError(_original);
        _captured.Dispose();
    }
}
