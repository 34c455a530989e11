namespace Coldmod.Server.Internal.Store;

// A unit of work for the writer loop. Apply runs inside the group's transaction; Complete runs after
// the commit, so a caller never hears of a change before it is durable.
internal abstract class StoreWork
{
    public abstract void Apply(WriterSession session);

    public abstract void Complete();

    public abstract void Fail(Exception exception);
}
