using System.Buffers.Binary;

namespace CloudTemple.Networking.Testing;

/// <summary>Writes Ethernet frames to a classic pcap file (link type 1) for tshark to decode.</summary>
public sealed class PcapWriter : IDisposable
{
    private readonly FileStream _stream;
    private uint _seconds;

    /// <summary>Creates the file and writes the global header.</summary>
    public PcapWriter(string path)
    {
        _stream = File.Create(path);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);
        _stream.Write(header);
    }

    /// <summary>Appends one frame, one second after the previous.</summary>
    public void Write(ReadOnlySpan<byte> frame)
    {
        Span<byte> record = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(record, ++_seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
        _stream.Write(record);
        _stream.Write(frame);
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
