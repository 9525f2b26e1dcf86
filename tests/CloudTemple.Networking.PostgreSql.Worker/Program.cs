// Allocates from a shared PostgreSQL IPAM store and prints one result per line, so that a test can
// run several of these processes at once on one pool and compare their union with the database.
//
//   addresses CONNECTION SCHEMA SPACE SUBNET COUNT OWNER START-AT-UNIX-MS   prints COUNT addresses (next-free)
//   subnets   CONNECTION SCHEMA SPACE LENGTH COUNT START-AT-UNIX-MS         prints COUNT carved prefixes
using CloudTemple.Networking;
using CloudTemple.Networking.Ipam;
using CloudTemple.Networking.PostgreSql;

if (args.Length < 6)
{
    Console.Error.WriteLine("usage: addresses CONNECTION SCHEMA SPACE SUBNET COUNT OWNER START-AT | subnets CONNECTION SCHEMA SPACE LENGTH COUNT START-AT");
    return 2;
}

// 1. Open the shared store.
await using var store = new PostgreSqlIpamStore(args[1], new PostgreSqlStoreOptions { Schema = args[2] });
await store.InitializeAsync(CancellationToken.None);
string space = args[3];
int count = int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture);

// 2. Start together with the other workers.
long startAt = long.Parse(args[^1], System.Globalization.CultureInfo.InvariantCulture);
var wait = DateTimeOffset.FromUnixTimeMilliseconds(startAt) - DateTimeOffset.UtcNow;
if (wait > TimeSpan.Zero)
{
    await Task.Delay(wait);
}

// 3. Allocate, one store operation each, and print what we got.
for (int i = 0; i < count; i++)
{
    if (args[0] == "addresses")
    {
        var subnet = Ipv4Prefix.Parse(args[4]);
        var result = await store.AllocateAsync(AddressRequest.NextFree(space, subnet, $"{args[6]}-{i}"), DateTimeOffset.UtcNow, CancellationToken.None);
        Console.WriteLine(result.Allocation.Address);
    }
    else
    {
        int length = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
        var carved = await store.CarveSubnetAsync(SubnetRequest.NextFree(space, length), DateTimeOffset.UtcNow, CancellationToken.None);
        Console.WriteLine(carved.Prefix);
    }
}

return 0;
