using CloudTemple.Networking.Ipam;

namespace CloudTemple.Networking.Sqlite;

/// <summary>A row of <c>ipam_spaces</c>.</summary>
internal sealed record SpaceRow(long Id, string Name, TimeSpan ReuseHold, ReservedAddressPolicy? DefaultReservedAddresses)
{
    public const string Columns = "id, name, reuse_hold_ticks, policy_name, policy_start, policy_end";

    public static SpaceRow Read(Microsoft.Data.Sqlite.SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        TimeSpan.FromTicks(reader.GetInt64(2)),
        reader.IsDBNull(3) ? null : PolicyCodec.Read(reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5)));
}
