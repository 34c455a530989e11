namespace Coldmod.Sender.Tests;

// The runtime reports to stderr; a test reads what it wrote while it ran.
internal sealed class StderrCapture : IDisposable
{
    private readonly TextWriter _original = Console.Error;
    private readonly StringWriter _captured = new();

    public StderrCapture()
    {
        Console.SetError(TextWriter.Synchronized(_captured));
    }

    public string[] Lines => _captured.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        Console.SetError(_original);
        _captured.Dispose();
    }
}
