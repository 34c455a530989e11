namespace Coldmod.Runtime.Internal.Polyfills;

// netstandard2.0 only: the string members of .NET Core 2.1+ that the runtime's messages and parsers use.
internal static class StringPolyfills
{
    extension(string text)
    {
        public string ReplaceLineEndings(string replacement)
        {
            var builder = new System.Text.StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c is '\n' or '\f' or '\u0085' or '\u2028' or '\u2029')
                {
                    builder.Append(replacement);
                }
                else if (c == '\r')
                {
                    builder.Append(replacement);
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }

        public bool Contains(string value, StringComparison comparison) => text.IndexOf(value, comparison) >= 0;

        public bool StartsWith(char value) => text.Length > 0 && text[0] == value;

        public bool EndsWith(char value) => text.Length > 0 && text[text.Length - 1] == value;
    }
}
