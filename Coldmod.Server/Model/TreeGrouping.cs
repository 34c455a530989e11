namespace Coldmod.Server.Model;

/// <summary>How the heat tree groups srcs.</summary>
public enum TreeGrouping
{
    /// <summary>Namespace, then type, then method.</summary>
    Namespace,

    /// <summary>Folder, then file, then method.</summary>
    Folder,
}
