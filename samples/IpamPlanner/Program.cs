using CloudTemple.Networking;
using CloudTemple.Networking.Ipam;

// Plans the addresses of a VPC: carve 10.0.0.0/16 into networks per environment, give VMs
// addresses, and print how full each network is.

// 1. An IPAM over the embedded in-memory store; released addresses wait 5 minutes before reuse.
using var ipam = new IpamService(new InMemoryIpamStore(), new IpamOptions { ReuseHold = TimeSpan.FromMinutes(5) });
const string Vpc = "vpc-demo";
await ipam.CreateSpaceAsync(Vpc, [Ipv4Prefix.Parse("10.0.0.0/16")]);

// 2. Carve networks: prod takes the next free /20, pre-prod a /22 with the AWS reserved addresses,
//    dev a small /26 with an exclusion range kept for appliances.
var prod = await ipam.CarveSubnetAsync(SubnetRequest.NextFree(Vpc, 20) with { Name = "prod" });
var preProd = await ipam.CarveSubnetAsync(SubnetRequest.NextFree(Vpc, 22) with { Name = "pre-prod", ReservedAddresses = ReservedAddressPolicy.Aws });
var dev = await ipam.CarveSubnetAsync(SubnetRequest.NextFree(Vpc, 26) with
{
    Name = "dev",
    Exclusions = [Ipv4AddressRange.Parse("10.0.20.50-10.0.20.59")],
});
foreach (var network in new[] { prod, preProd, dev })
{
    Console.WriteLine($"carved {network.Name,-8} {network.Prefix,-14} gateway {network.Gateway}  reserved: {network.ReservedAddresses}");
}

// 3. Overlaps are refused, naming both networks.
try
{
    await ipam.CarveSubnetAsync(SubnetRequest.Explicit(Vpc, Ipv4Prefix.Parse("10.0.4.0/24")));
}
catch (PrefixOverlapException error)
{
    Console.WriteLine($"refused: {error.Message}");
}

// 4. Addresses for a handful of VMs: next free in prod, a fixed address for the database,
//    random in dev. The owner is the VM's port; the request key makes retries safe.
string[] prodVms = ["web-1", "web-2", "web-3", "api-1", "api-2"];
foreach (string vm in prodVms)
{
    await ipam.AllocateAsync(AddressRequest.NextFree(Vpc, prod.Prefix, $"port-{vm}") with
    {
        RequestKey = $"create-{vm}",
        Metadata = new Dictionary<string, string> { ["vm"] = vm, ["env"] = "prod" },
    });
}

var db = await ipam.AllocateAsync(AddressRequest.Specific(Vpc, prod.Prefix, Ipv4Address.Parse("10.0.0.100"), "port-db-1"));
var retry = await ipam.AllocateAsync(AddressRequest.NextFree(Vpc, prod.Prefix, "port-web-1") with { RequestKey = "create-web-1" });
Console.WriteLine($"db-1 has the fixed address {db.Address}; retrying web-1's request gives {retry.Address} again");

foreach (string vm in new[] { "web-1", "db-1" })
{
    await ipam.AllocateAsync(AddressRequest.NextFree(Vpc, preProd.Prefix, $"port-pp-{vm}"));
}

for (int i = 1; i <= 30; i++)
{
    await ipam.AllocateAsync(AddressRequest.Random(Vpc, dev.Prefix, $"port-dev-{i}"));
}

// 5. A VM is deleted: its address is released but held, so the next VM gets another one.
var gone = await ipam.ReleaseOwnerAsync(Vpc, "port-web-2");
var next = await ipam.AllocateAsync(AddressRequest.NextFree(Vpc, prod.Prefix, "port-web-4"));
Console.WriteLine($"web-2 released {gone[0].Address}; web-4 got {next.Address} (the old address is held for 5 minutes)");
Console.WriteLine($"who has 10.0.0.100? {(await ipam.FindByAddressAsync(Vpc, Ipv4Address.Parse("10.0.0.100")))?.Owner}");
Console.WriteLine();

// 6. The utilization table: exact counts, read in O(1) per network.
Console.WriteLine($"{"network",-9}{"prefix",-15}{"size",6}{"resvd",6}{"alloc",6}{"held",5}{"free",6}  used");
foreach (var network in await ipam.ListSubnetsAsync(Vpc))
{
    var usage = await ipam.GetSubnetUtilizationAsync(Vpc, network.Prefix);
    Console.WriteLine(
        $"{network.Name,-9}{network.Prefix,-15}{usage.Size,6}{usage.Reserved,6}{usage.Allocated,6}{usage.Held,5}{usage.Free,6}  {Bar(usage.FillRatio)}");
}

var total = await ipam.GetSpaceUtilizationAsync(Vpc);
Console.WriteLine($"{"VPC",-9}{"10.0.0.0/16",-15}{total.Size,6}{total.Reserved,6}{total.Allocated,6}{total.Held,5}{total.Free,6}  {Bar(total.FillRatio)}  ({total.Carved} carved)");

static string Bar(double ratio)
{
    const int Width = 30;
    int filled = (int)Math.Ceiling(ratio * Width);
    return $"[{new string('#', filled)}{new string('.', Width - filled)}] {ratio,6:P1}";
}
