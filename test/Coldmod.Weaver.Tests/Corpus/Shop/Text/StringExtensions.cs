using System;
using System.Collections.Generic;
using System.Text;

namespace Shop.Text;

/// <summary>Classic extension methods.</summary>
public static class StringExtensions
{
    public static string Truncate(this string text, int maxLength) =>
        text.Length <= maxLength ? text : text[..Math.Max(0, maxLength - 1)] + "…";

    public static string Slug(this string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            slug.Append(char.IsLetterOrDigit(c) ? c : '-');
        }

        return slug.ToString();
    }

    public static string JoinWith<T>(this IEnumerable<T> items, string separator)
        where T : notnull =>
        string.Join(separator, items);

    public static void Reset(this ref Pricing.Money money, string currency) => money = new Pricing.Money(0m, currency);

    public static int CountOf(this in ReadOnlySpan<char> text, char c)
    {
        var count = 0;
        foreach (var x in text)
        {
            if (x == c)
            {
                count++;
            }
        }

        return count;
    }
}
