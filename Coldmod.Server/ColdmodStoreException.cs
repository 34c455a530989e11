namespace Coldmod.Server;

/// <summary>
/// The store named by <c>COLDMOD_STORE</c> cannot be used: it is not a SQLite database, is corrupt,
/// is read-only or was written by a newer Coldmod. The message names the file and what to do;
/// the file itself is left untouched.
/// </summary>
public sealed class ColdmodStoreException : Exception
{
    /// <summary>Creates the exception with a message that names the file and the problem.</summary>
    public ColdmodStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message that names the file and the problem, and its cause.</summary>
    public ColdmodStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
