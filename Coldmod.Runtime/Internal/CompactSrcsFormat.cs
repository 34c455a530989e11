using System.Text;

namespace Coldmod.Runtime.Internal;

// The body of a format 3 srcs table, before compression. Integers are unsigned LEB128 varints.
//   count                                   the number of srcs
//   6 pools: types, members, parameters,    each: n, then n strings (byte length, UTF-8), in order of first use
//            nested suffixes, files, labels
//   6 columns of count pool ids, same order; a label id is 0 for none, k for the pool's (k-1)th label
//   1 column of count lines                 zig-zag deltas from the previous src's line (the first from 0)
// Columns rather than rows: runs of equal ids and small deltas are what DEFLATE shrinks best.
internal static class CompactSrcsFormat
{
    private const int Pools = 6;
    private const int TypePool = 0;
    private const int MemberPool = 1;
    private const int ParametersPool = 2;
    private const int NestedPool = 3;
    private const int FilePool = 4;
    private const int LabelPool = 5;

    private static readonly string[] s_poolNames = ["type", "member", "parameters", "nested", "file", "label"];
    private static readonly string[] s_countNames = [.. s_poolNames.Select(p => $"the {p} count")];

    // Throwing, so damaged text is reported as a damaged table rather than read as U+FFFD.
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Write(Stream stream, IReadOnlyList<SrcEntry> entries)
    {
        var pools = new StringPool[Pools];
        for (var p = 0; p < Pools; p++)
        {
            pools[p] = new StringPool();
        }

        var ids = new int[Pools][];
        for (var p = 0; p < Pools; p++)
        {
            ids[p] = new int[entries.Count];
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var parts = KeyParts.Of(entry.Key);
            ids[TypePool][i] = pools[TypePool].IdOf(parts.Type);
            ids[MemberPool][i] = pools[MemberPool].IdOf(parts.Member);
            ids[ParametersPool][i] = pools[ParametersPool].IdOf(parts.Parameters);
            ids[NestedPool][i] = pools[NestedPool].IdOf(parts.Nested);
            ids[FilePool][i] = pools[FilePool].IdOf(entry.File);
            ids[LabelPool][i] = entry.Label is null ? 0 : pools[LabelPool].IdOf(entry.Label) + 1;
        }

        using var body = new MemoryStream();
        WriteVarint(body, (uint)entries.Count);
        foreach (var pool in pools)
        {
            WriteVarint(body, (uint)pool.Strings.Count);
            foreach (var text in pool.Strings)
            {
                var bytes = s_utf8.GetBytes(text);
                WriteVarint(body, (uint)bytes.Length);
                body.Write(bytes, 0, bytes.Length);
            }
        }

        foreach (var column in ids)
        {
            foreach (var id in column)
            {
                WriteVarint(body, (uint)id);
            }
        }

        long previous = 0;
        foreach (var entry in entries)
        {
            var delta = entry.Line - previous;
            WriteVarint(body, (uint)((delta << 1) ^ (delta >> 63)));
            previous = entry.Line;
        }

        body.Position = 0;
        body.CopyTo(stream);
    }

    public static SrcEntry[] Read(byte[] body)
    {
        var reader = new VarintReader(body);
        var count = reader.ReadCount("the src count");
        var pools = new string[Pools][];
        for (var p = 0; p < Pools; p++)
        {
            var strings = new string[reader.ReadCount(s_countNames[p])];
            for (var s = 0; s < strings.Length; s++)
            {
                strings[s] = reader.ReadString(s_utf8, s_poolNames[p], s);
            }

            pools[p] = strings;
        }

        var ids = new int[Pools][];
        for (var p = 0; p < Pools; p++)
        {
            var column = new int[count];
            var limit = p == LabelPool ? pools[p].Length + 1 : pools[p].Length;
            for (var i = 0; i < count; i++)
            {
                var id = reader.ReadVarint(s_poolNames[p], i);
                if (id >= limit)
                {
                    throw SrcsTable.Malformed($"srcs[{i}] names {s_poolNames[p]} {id}, but only {pools[p].Length} are stored");
                }

                column[i] = (int)id;
            }

            ids[p] = column;
        }

        var entries = new SrcEntry[count];
        long line = 0;
        for (var i = 0; i < count; i++)
        {
            var zigzag = reader.ReadVarint("line", i);
            line += (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
            var key = KeyParts.Join(
                pools[TypePool][ids[TypePool][i]],
                pools[MemberPool][ids[MemberPool][i]],
                pools[ParametersPool][ids[ParametersPool][i]],
                pools[NestedPool][ids[NestedPool][i]]);
            if (key.Length == 0)
            {
                throw SrcsTable.Malformed($"srcs[{i}].key is empty");
            }

            if (line is < 1 or > int.MaxValue)
            {
                throw SrcsTable.Malformed($"srcs[{i}].line ({key}) is {line}, not a positive integer");
            }

            var label = ids[LabelPool][i] == 0 ? null : pools[LabelPool][ids[LabelPool][i] - 1];
            entries[i] = new SrcEntry(key, pools[FilePool][ids[FilePool][i]], (int)line, label);
        }

        if (!reader.AtEnd)
        {
            throw SrcsTable.Malformed($"{body.Length - reader.Position} bytes follow the last src");
        }

        return entries;
    }

    private static void WriteVarint(Stream stream, uint value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }
}
