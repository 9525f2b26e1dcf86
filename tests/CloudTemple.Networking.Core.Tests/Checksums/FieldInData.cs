namespace CloudTemple.Networking.Core.Tests.Checksums;

/// <summary>Data covered by a checksum and the even offset of a field of <see cref="Width"/> bytes inside it (2 or 4).</summary>
public sealed record FieldInData(byte[] Data, int At, int Width)
{
    public override string ToString() => $"{Width}-byte field at {At} of {Convert.ToHexString(Data)}";
}
