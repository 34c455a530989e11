using System.Text;
using DiffPlex;
using DiffPlex.Chunkers;

namespace Coldmod.Cli.Codemods;

// The edits as `diff -u` prints them (three lines of context), for --dry-run.
internal static class UnifiedDiff
{
    private const int Context = 3;

    public static string Format(string shownPath, string before, string after)
    {
        var diff = Differ.Instance.CreateDiffs(before, after, ignoreWhiteSpace: false, ignoreCase: false, LineChunker.Instance);
        var oldLines = diff.PiecesOld;
        var newLines = diff.PiecesNew;

        // A final line break leaves an empty last piece, which is no line of the file.
        var oldCount = oldLines.Count - (before.EndsWith('\n') ? 1 : 0);
        var output = new StringBuilder();
        output.Append("--- a/").Append(shownPath).Append('\n');
        output.Append("+++ b/").Append(shownPath).Append('\n');

        var blocks = diff.DiffBlocks;
        var index = 0;
        while (index < blocks.Count)
        {
            // Blocks whose context would touch are one hunk.
            var last = index;
            while (last + 1 < blocks.Count &&
                   blocks[last + 1].DeleteStartA - (blocks[last].DeleteStartA + blocks[last].DeleteCountA) <= 2 * Context)
            {
                last++;
            }

            var oldStart = Math.Max(0, blocks[index].DeleteStartA - Context);
            var oldEnd = Math.Min(oldCount, blocks[last].DeleteStartA + blocks[last].DeleteCountA + Context);
            var newStart = blocks[index].InsertStartB - (blocks[index].DeleteStartA - oldStart);
            var newEnd = blocks[last].InsertStartB + blocks[last].InsertCountB + (oldEnd - (blocks[last].DeleteStartA + blocks[last].DeleteCountA));
            output.Append($"@@ -{Range(oldStart, oldEnd - oldStart)} +{Range(newStart, newEnd - newStart)} @@\n");

            var position = oldStart;
            for (var i = index; i <= last; i++)
            {
                var block = blocks[i];
                for (; position < block.DeleteStartA; position++)
                {
                    output.Append(' ').Append(oldLines[position]).Append('\n');
                }

                for (var d = 0; d < block.DeleteCountA; d++)
                {
                    output.Append('-').Append(oldLines[block.DeleteStartA + d]).Append('\n');
                }

                for (var n = 0; n < block.InsertCountB; n++)
                {
                    output.Append('+').Append(newLines[block.InsertStartB + n]).Append('\n');
                }

                position = block.DeleteStartA + block.DeleteCountA;
            }

            for (; position < oldEnd; position++)
            {
                output.Append(' ').Append(oldLines[position]).Append('\n');
            }

            index = last + 1;
        }

        return output.ToString();
    }

    private static string Range(int start, int count) => count == 0 ? $"{start},0" : count == 1 ? $"{start + 1}" : $"{start + 1},{count}";
}
