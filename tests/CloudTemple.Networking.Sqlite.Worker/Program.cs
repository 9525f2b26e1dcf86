// Allocates from a SQLite store in its own process and prints each result as soon as the store returned
// it (so a test that kills this process knows what was acknowledged). Commands:
//   allocate PATH SPACE SUBNET COUNT OWNER   next-free addresses, one per line
//   carve PATH SPACE LENGTH COUNT            next-free subnets, one per line
//   leases PATH SUBNET FIRST COUNT OWNER     saves bound leases FIRST, FIRST+1, ... one per line
//   init PATH                                creates or migrates both schemas, prints "ok"
// allocate and carve open the store, print "ready", and start when the file PATH.go exists, so that a test
// can make several workers run truly at once.
// Exit code 0 when all were done, 2 when the subnet or pool ran out (what was printed stands), 1 on error.
using CloudTemple.Networking;
using CloudTemple.Networking.Dhcp;
using CloudTemple.Networking.Ipam;
using CloudTemple.Networking.Sqlite;

var now = DateTimeOffset.UtcNow;
var stdout = Console.Out;
try
{
    switch (args[0])
    {
        case "allocate":
            {
                using var store = new SqliteIpamStore(args[1]);
                await ReadyAsync(store, args[1]);
                var subnet = Ipv4Prefix.Parse(args[3]);
                for (int i = 0; i < int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture); i++)
                {
                    var result = await store.AllocateAsync(AddressRequest.NextFree(args[2], subnet, $"{args[5]}-{i}"), now, CancellationToken.None);
                    stdout.WriteLine(result.Allocation.Address);
                }

                break;
            }

        case "carve":
            {
                using var store = new SqliteIpamStore(args[1]);
                await ReadyAsync(store, args[1]);
                for (int i = 0; i < int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture); i++)
                {
                    var subnet = await store.CarveSubnetAsync(
                        SubnetRequest.NextFree(args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)), now, CancellationToken.None);
                    stdout.WriteLine(subnet.Prefix);
                }

                break;
            }

        case "leases":
            {
                await using var store = new SqliteLeaseStore(args[1]);
                var subnet = Ipv4Prefix.Parse(args[2]);
                uint first = Ipv4Address.Parse(args[3]).Value;
                for (uint i = 0; i < uint.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture); i++)
                {
                    var address = new Ipv4Address(first + i);
                    var client = DhcpClientKey.FromClientIdentifier(System.Text.Encoding.ASCII.GetBytes($"{args[5]}-{i}"));
                    await store.SaveAsync(new DhcpLease(address, subnet, client, null, DhcpLeaseState.Bound, now.AddHours(1)), CancellationToken.None);
                    stdout.WriteLine(address);
                }

                break;
            }

        case "init":
            {
                using var ipam = new SqliteIpamStore(args[1]);
                await using var leases = new SqliteLeaseStore(args[1]);
                await ipam.InitializeAsync(CancellationToken.None);
                await leases.InitializeAsync(CancellationToken.None);
                stdout.WriteLine("ok");
                break;
            }

        default:
            Console.Error.WriteLine($"unknown command {args[0]}");
            return 1;
    }

    return 0;
}
catch (Exception e) when (e is SubnetExhaustedException or PoolExhaustedException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (Exception e)
{
    Console.Error.WriteLine(e);
    return 1;
}

static async Task ReadyAsync(SqliteIpamStore store, string path)
{
    await store.InitializeAsync(CancellationToken.None);
    Console.Out.WriteLine("ready");
    while (!File.Exists(path + ".go"))
    {
        await Task.Delay(1);
    }
}
