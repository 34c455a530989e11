namespace Shop.Legacy;

public static class Unused
{
    public static int Kept() => 1;

#region Old importer
    public static int Import(string line)
    {
        return line.Length;
    }
#endregion

    public static int Export()
    {
#if LEGACY
        return 1;
    }

    public static int ExportMore()
    {
#endif
        return 2;
    }

#if !LEGACY
    public static int Modern()
    {
        return 3;
    }
#endif

#if RELEASE
    public static int Fast() => 4;
#endif

    public static int Tidy(int value)
    {
#if DEBUG
        value++;
#endif
        return value;
    }
}
