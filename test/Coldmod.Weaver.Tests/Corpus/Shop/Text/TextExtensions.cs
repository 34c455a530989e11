using System;
using System.Collections.Generic;

namespace Shop.Text;

/// <summary>
/// C# 14 extension blocks. The compiler emits each member as a static implementation method of this class
/// (the receiver becomes the first parameter); that method is what runs, and what is traced.
/// </summary>
public static class TextExtensions
{
    extension(string text)
    {
        public int WordCount() => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

        public bool IsBlank => string.IsNullOrWhiteSpace(text);

        public string Repeat(int times)
        {
            var parts = new string[times];
            Array.Fill(parts, text);
            return string.Concat(parts);
        }

        public static string Bullet(string item) => "• " + item;
    }

    extension<T>(IReadOnlyList<T> list)
        where T : IComparable<T>
    {
        public T? Largest()
        {
            if (list.Count == 0)
            {
                return default;
            }

            var max = list[0];
            for (var i = 1; i < list.Count; i++)
            {
                if (list[i].CompareTo(max) > 0)
                {
                    max = list[i];
                }
            }

            return max;
        }

        public int Rank(T item) => Math.Max(0, list.Count - 1);
    }
}
