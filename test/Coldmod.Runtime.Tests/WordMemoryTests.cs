using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

// The probes' words below 2 GB, where x64 code compares them with one instruction (`cmp qword ptr [disp32], 0`); this
// suite runs on 64-bit Linux, where the range is granted.
public sealed unsafe class WordMemoryTests
{
    [Fact]
    public void A_module_s_words_are_addressable_as_a_32_bit_displacement()
    {
        var module = FakeSrcsAssembly.Module(new FakeSrcsAssembly("low-words", srcs: null), 300);

        Assert.True(WordMemory.IsLow((long*)module.ArmedFlags), $"the words are at 0x{module.ArmedFlags:X}, above 2 GB");
        Assert.True(module.ArmedFlags % 64 == 0);
    }

    [Fact]
    public void Allocations_are_zeroed_aligned_and_disjoint_also_past_one_chunk()
    {
        // 300,000 words are more than a chunk: they get one of their own, and the small ones after it still fit.
        var sizes = new[] { 1, 7, 300_000, 5, 131_072, 3 };
        var ranges = new List<(long Start, long End)>();
        foreach (var size in sizes)
        {
            var words = WordMemory.Allocate(size);
            Assert.True(WordMemory.IsLow(words), $"{size} words at 0x{(long)words:X}, above 2 GB");
            Assert.True((long)words % 64 == 0);
            for (var i = 0; i < size; i++)
            {
                Assert.Equal(0, words[i]);
                words[i] = -1;
            }

            ranges.Add(((long)words, (long)(words + size)));
        }

        foreach (var (start, end) in ranges)
        {
            Assert.Single(ranges, other => other.Start < end && start < other.End);
        }
    }

    [Fact]
    public void Without_a_low_range_the_words_are_native_memory_anywhere()
    {
        var words = WordMemory.Allocate(1_000, _ => 0);

        for (var i = 0; i < 1_000; i++)
        {
            Assert.Equal(0, words[i]);
            Interlocked.Decrement(ref words[i]);
        }

        Assert.Equal(-1, words[999]);
    }
}
