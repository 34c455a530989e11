using System;
using System.Collections.Generic;
using System.IO;

namespace Shop.Legacy;

/// <summary>The old CSV import. Its entry point is listed in [ignore] keys: it is kept on purpose.</summary>
public static class CsvImporter
{
    public static IReadOnlyList<string[]> Import(TextReader reader)
    {
        var rows = new List<string[]>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            rows.Add(ParseLine(line));
        }

        return rows;
    }

    public static string[] ParseLine(string line) => line.Split(',', StringSplitOptions.TrimEntries);
}
