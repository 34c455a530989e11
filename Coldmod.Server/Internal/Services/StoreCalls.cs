using Coldmod.Server.Internal.Store;
using Grpc.Core;

namespace Coldmod.Server.Internal.Services;

internal static class StoreCalls
{
    public static RpcException UnknownApp(string app) =>
        new(new Status(StatusCode.NotFound, $"app '{app}' has no srcs; the app must call Set first"));

    public static RpcException UnknownVersion(string app, string version) =>
        new(new Status(StatusCode.NotFound, $"app '{app}' has no version '{version}' (dropped after its retention, or by reset --version); call Set again, then re-send this batch"));

    public static RpcException InvalidArgument(string problem) => new(new Status(StatusCode.InvalidArgument, problem));

    // The writer logged the cause; the caller learns that nothing changed and that it may retry.
    public static RpcException Unavailable(Exception exception) => exception is StoreStoppedException
        ? new(new Status(StatusCode.Unavailable, "the server is stopping; nothing was changed, retry against a running server"))
        : new(new Status(StatusCode.Unavailable, $"the store could not save the change, so nothing was changed; retry ({exception.Message})"));

    public static async Task<T> Run<T>(Task<T> operation)
    {
        try
        {
            return await operation.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException and not OperationCanceledException)
        {
            throw Unavailable(e);
        }
    }

    public static async Task<T> Read<T>(Task<T> read)
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException and not OperationCanceledException)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"the store could not be read; retry ({e.Message})"));
        }
    }
}
