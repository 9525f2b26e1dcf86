using CloudTemple.Networking.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CloudTemple.Networking.Core.Tests.Buffers;

/// <summary>One step on a buffer: 0 prepend, 1 append, 2 trim front, 3 trim end, with a count.</summary>
public sealed record BufferStep(int Kind, int Count)
{
    public override string ToString() => $"{(new[] { "prepend", "append", "trim-front", "trim-end" })[Kind]} {Count}";
}

/// <summary>Prepend, append and trims keep the data what a plain list model says, and the pool gets every array back once.</summary>
[Properties(Arbitrary = [typeof(Generators), typeof(PacketBufferProperties)], MaxTest = 300)]
public class PacketBufferProperties
{
    public static Arbitrary<BufferStep[]> Steps() =>
        Arb.From(Gen.ArrayOf(Gen.Choose(0, 3).SelectMany(_ => Gen.Frequency((4, Gen.Choose(0, 60)), (1, Gen.Choose(61, 300))), (kind, count) => new BufferStep(kind, count))));

    [Property]
    public Property Every_step_keeps_the_data_intact(byte[] initial, BufferStep[] steps, byte headroom)
    {
        var pool = new CountingPool();
        var model = new List<byte>(initial);
        var buffer = PacketBuffer.CopyOf(initial, headroom, tailroom: 8, pool: pool);
        byte fill = 0;
        foreach (var step in steps)
        {
            fill++;
            switch (step.Kind)
            {
                case 0:
                    int headroomBefore = buffer.Headroom;
                    int reallocationsBefore = buffer.Reallocations;
                    buffer.Prepend(step.Count).Fill(fill);
                    model.InsertRange(0, Enumerable.Repeat(fill, step.Count));
                    if (step.Count <= headroomBefore && buffer.Reallocations != reallocationsBefore)
                    {
                        return false.Label($"{step} copied with {headroomBefore} bytes of headroom");
                    }

                    break;
                case 1:
                    buffer.Append(step.Count).Fill(fill);
                    model.AddRange(Enumerable.Repeat(fill, step.Count));
                    break;
                case 2 when step.Count <= model.Count:
                    buffer.TrimFront(step.Count);
                    model.RemoveRange(0, step.Count);
                    break;
                case 3 when step.Count <= model.Count:
                    buffer.TrimEnd(step.Count);
                    model.RemoveRange(model.Count - step.Count, step.Count);
                    break;
                default:
                    int count = step.Count;
                    var threw = Record.Exception(() => { if (step.Kind == 2) { buffer.TrimFront(count); } else { buffer.TrimEnd(count); } });
                    if (threw is not ArgumentOutOfRangeException)
                    {
                        return false.Label($"{step} beyond {model.Count} bytes did not throw ArgumentOutOfRangeException");
                    }

                    break;
            }

            if (!buffer.Data.SequenceEqual(model.ToArray()))
            {
                return false.Label($"after {step}: {Convert.ToHexString(buffer.Data)} instead of {Convert.ToHexString(model.ToArray())}");
            }
        }

        buffer.Dispose();
        buffer.Dispose();
        return (pool.Outstanding == 0 && pool.Rents == pool.Returns).Label($"{pool.Rents} rents, {pool.Returns} returns");
    }
}
