namespace Coldmod.Server.Internal.Store;

internal sealed class StoreOperation<T>(Func<WriterSession, T> apply) : StoreWork
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Completion => _done.Task;

    public override void Apply(WriterSession session) => _result = apply(session);

    public override void Complete() => _done.TrySetResult(_result!);

    public override void Fail(Exception exception) => _done.TrySetException(exception);
}
