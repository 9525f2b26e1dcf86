namespace CloudTemple.Networking.Core.Tests.Checksums;

/// <summary>
/// The plain RFC 1071 algorithm, word by word, as the reference that the vectorized checksum must match.
/// (Also compiled into the benchmarks as their baseline.)
/// </summary>
public static class ReferenceChecksum
{
    public static ushort Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += (uint)((data[i] << 8) | data[i + 1]);
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)sum;
    }

    public static ushort Compute(ReadOnlySpan<byte> data) => (ushort)~Sum(data);
}
