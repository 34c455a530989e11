namespace Shop.Text;

/// <summary>Text helpers; this file has a byte order mark and CRLF line endings.</summary>
public static class Crlf
{
    public static string Upper(string value) => value.ToUpperInvariant();

    /// <summary>Lower case.</summary>
    public static string Lower(string value)
    {
        return value.ToLowerInvariant();
    }

    public static string Both(string value) => Upper(value) + Lower(value);
}
