using System.Text;

namespace Coldmod.Runtime.Internal;

// Reads a srcs table body; every read past its end or out of range is a malformed table naming what was being read:
// `what`, or srcs[index].what for an index of 0 or more. The name is only formatted for the error, since the reader
// runs on the app's first drain, once per column and src.
internal sealed class VarintReader(byte[] bytes)
{
    private int _position;

    public int Position => _position;

    public bool AtEnd => _position == bytes.Length;

    public uint ReadVarint(string what, int index = -1)
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (_position == bytes.Length)
            {
                throw SrcsTable.Malformed($"it ends inside {Name(what, index)}");
            }

            var next = bytes[_position++];
            if (shift == 28 && next > 0x0F)
            {
                break;
            }

            value |= (uint)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }

        throw SrcsTable.Malformed($"{Name(what, index)} is not a 32-bit number");
    }

    // A count of things still to read, each at least one byte long, so a damaged count cannot make a huge allocation.
    public int ReadCount(string what)
    {
        var count = ReadVarint(what);
        if (count > (uint)(bytes.Length - _position))
        {
            throw SrcsTable.Malformed($"{what} is {count}, more than the {bytes.Length - _position} bytes left");
        }

        return (int)count;
    }

    // The string numbered `number` of the pool named `pool`.
    public string ReadString(Encoding encoding, string pool, int number)
    {
        if (_position == bytes.Length)
        {
            throw SrcsTable.Malformed($"it ends inside the length of {pool} {number}");
        }

        var length = ReadVarint("the length of a string");
        if (length > (uint)(bytes.Length - _position))
        {
            throw SrcsTable.Malformed($"{pool} {number} is {length} bytes long, more than the {bytes.Length - _position} bytes left");
        }

        string text;
        try
        {
            text = encoding.GetString(bytes, _position, (int)length);
        }
        catch (DecoderFallbackException e)
        {
            throw SrcsTable.Malformed($"{pool} {number} is not valid UTF-8", e);
        }

        _position += (int)length;
        return text;
    }

    private static string Name(string what, int index) => index < 0 ? what : $"srcs[{index}].{what}";
}
