using System.Buffers.Binary;
using System.Text;

namespace CloudTemple.Networking.Core.Tests.Flows;

/// <summary>MurmurHash3_x86_32 against published reference values, not against its own output.</summary>
public class MurmurHash3Tests
{
    /// <summary>
    /// SMHasher's VerificationTest (main.cpp): keys {}, {0}, {0,1}, ... {0..254} hashed with seeds 256, 255, ... 1,
    /// the 256 hashes concatenated little-endian and hashed with seed 0; the reference prints 0xB0F57EE3 for
    /// MurmurHash3_x86_32. It covers every tail length, block count and many seeds at once.
    /// </summary>
    [Fact]
    public void The_hash_matches_the_SMHasher_verification_value()
    {
        var key = new byte[256];
        var hashes = new byte[256 * 4];
        for (int i = 0; i < 256; i++)
        {
            key[i] = (byte)i;
            BinaryPrimitives.WriteUInt32LittleEndian(hashes.AsSpan(i * 4), MurmurHash3.Hash32(key.AsSpan(0, i), (uint)(256 - i)));
        }

        Assert.Equal(0xB0F57EE3u, MurmurHash3.Hash32(hashes, 0));
    }

    // Published test vectors of MurmurHash3_x86_32 (byte keys, from the answer to the Stack Overflow question "MurmurHash3 Test Vectors" that ports SMHasher's test).
    [Theory]
    [InlineData("", 0u, 0u)]
    [InlineData("", 1u, 0x514E28B7u)]
    [InlineData("", 0xFFFFFFFFu, 0x81F16F39u)]
    [InlineData("FFFFFFFF", 0u, 0x76293B50u)]
    [InlineData("21436587", 0u, 0xF55B516Bu)]
    [InlineData("21436587", 0x5082EDEEu, 0x2362F9DEu)]
    [InlineData("214365", 0u, 0x7E4A8634u)]
    [InlineData("2143", 0u, 0xA0F7B07Au)]
    [InlineData("21", 0u, 0x72661CF4u)]
    [InlineData("00000000", 0u, 0x2362F9DEu)]
    [InlineData("000000", 0u, 0x85F0B427u)]
    [InlineData("0000", 0u, 0x30F4C306u)]
    [InlineData("00", 0u, 0x514E28B7u)]
    public void The_hash_of_bytes_matches_the_published_vectors(string hex, uint seed, uint expected) =>
        Assert.Equal(expected, MurmurHash3.Hash32(Convert.FromHexString(hex), seed));

    // Published string vectors (UTF-8), with the seed 0x9747B28C used by the same source; lengths 1 to 43.
    [Theory]
    [InlineData("a", 0x7FA09EA6u)]
    [InlineData("abc", 0xC84A62DDu)]
    [InlineData("aaaa", 0x5A97808Au)]
    [InlineData("abcd", 0xF0478627u)]
    [InlineData("Hello, world!", 0x24884CBAu)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x2FA826CDu)]
    public void The_hash_of_text_matches_the_published_vectors(string text, uint expected) =>
        Assert.Equal(expected, MurmurHash3.Hash32(Encoding.UTF8.GetBytes(text), 0x9747B28Cu));
}
