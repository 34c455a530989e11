namespace Coldmod.Runtime.Internal;

// The runtime lives inside someone else's app with no logger of its own, so problems go to stderr,
// and a broken stderr must never become the app's problem.
internal static class RuntimeLog
{
    public static void Report(string message)
    {
        try
        {
            Console.Error.WriteLine("coldmod: " + message);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
