using Coldmod.Runtime.Internal;
using Mono.Cecil;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>Embeds the srcs table, in probe-index order, as a private manifest resource.</summary>
internal static class SrcsEmbedder
{
    public static void Embed(ModuleDefinition module, IReadOnlyList<TraceSrc> srcs)
    {
        var table = new SrcsTable(srcs.Select(s => new SrcEntry(s.Key, s.File, s.Line, s.Label)).ToList());
        using var content = new MemoryStream();
        table.WriteTo(content);
        module.Resources.Add(new EmbeddedResource(WovenNames.SrcsResource, ManifestResourceAttributes.Private, content.ToArray()));
    }
}
