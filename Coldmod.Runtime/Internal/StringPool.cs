namespace Coldmod.Runtime.Internal;

// Distinct strings, numbered in order of first use.
internal sealed class StringPool
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _strings = [];

    public IReadOnlyList<string> Strings => _strings;

    public int IdOf(string text)
    {
        if (!_ids.TryGetValue(text, out var id))
        {
            id = _strings.Count;
            _ids.Add(text, id);
            _strings.Add(text);
        }

        return id;
    }
}
