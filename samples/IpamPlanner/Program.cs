using System.CommandLine;
using CloudTemple.Networking;
using CloudTemple.Networking.Ipam;

// Plans the addresses of a VPC: carve its CIDR (10.0.0.0/16 unless --vpc says otherwise) into networks
// per environment, give VMs addresses, and print how full each network is.
//   dotnet run --project samples/IpamPlanner [-- --vpc 172.16.0.0/16 --reuse-hold 10]

// 1. The command line: both options have defaults; a bad value exits with code 2 and the library's message.
var vpcOption = SampleCommandLine.Value(
    "--vpc",
    "CIDR",
    "The VPC's CIDR, /19 or larger.",
    text => Ipv4Prefix.Parse(text) is { Length: > 19 } small // prod (/20), pre-prod (/22) and dev (/26) must fit
        ? throw new FormatException($"{small} is too small for the plan; give a /19 or larger.")
        : Ipv4Prefix.Parse(text));
vpcOption.DefaultValueFactory = _ => Ipv4Prefix.Parse("10.0.0.0/16");
var holdOption = SampleCommandLine.Value(
    "--reuse-hold",
    "MINUTES",
    "How long a released address waits before reuse.",
    text => int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int minutes)
        ? minutes
        : throw new FormatException($"'{text}' is not a whole number of minutes."));
holdOption.DefaultValueFactory = _ => 5;
var command = new RootCommand("Plans the addresses of a VPC with IPAM and prints how full each network is.") { vpcOption, holdOption };
command.SetAction(async (parsed, _) =>
{
    await PlanAsync(parsed.GetValue(vpcOption), parsed.GetValue(holdOption));
    return 0;
});
return await SampleCommandLine.InvokeAsync(command, args);

static async Task PlanAsync(Ipv4Prefix vpcCidr, int holdMinutes)
{
    // 2. An IPAM over the embedded in-memory store; released addresses wait a few minutes before reuse.
    using var ipam = new IpamService(new InMemoryIpamStore(), new IpamOptions { ReuseHold = TimeSpan.FromMinutes(holdMinutes) });
    const string Vpc = "vpc-demo";
    await ipam.CreateSpaceAsync(Vpc, [vpcCidr]);

    // 3. Carve networks: prod takes the next free /20, pre-prod a /22 with the AWS reserved addresses,
    //    dev the small /26 right after it, with an exclusion range (.50-.59) kept for appliances.
    var prod = await ipam.CarveSubnetAsync(SubnetRequest.NextFree(Vpc, 20) with { Name = "prod" });
    var preProd = await ipam.CarveSubnetAsync(SubnetRequest.NextFree(Vpc, 22) with { Name = "pre-prod", ReservedAddresses = ReservedAddressPolicy.Aws });
    var devPrefix = new Ipv4Prefix(new Ipv4Address(preProd.Prefix.Last.Value + 1), 26);
    var dev = await ipam.CarveSubnetAsync(SubnetRequest.Explicit(Vpc, devPrefix) with
    {
        Name = "dev",
        Exclusions = [new Ipv4AddressRange(new Ipv4Address(devPrefix.Network.Value + 50), new Ipv4Address(devPrefix.Network.Value + 59))],
    });
    foreach (var network in new[] { prod, preProd, dev })
    {
        Console.WriteLine($"carved {network.Name,-8} {network.Prefix,-14} gateway {network.Gateway}  reserved: {network.ReservedAddresses}");
    }

    // 4. Overlaps are refused, naming both networks.
    try
    {
        await ipam.CarveSubnetAsync(SubnetRequest.Explicit(Vpc, prod.Prefix.GetSubnet(24, 4)));
    }
    catch (PrefixOverlapException error)
    {
        Console.WriteLine($"refused: {error.Message}");
    }

    // 5. Addresses for a handful of VMs: next free in prod, a fixed address for the database,
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

    var db = await ipam.AllocateAsync(AddressRequest.Specific(Vpc, prod.Prefix, new Ipv4Address(prod.Prefix.Network.Value + 100), "port-db-1"));
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

    // 6. A VM is deleted: its address is released but held, so the next VM gets another one.
    var gone = await ipam.ReleaseOwnerAsync(Vpc, "port-web-2");
    var next = await ipam.AllocateAsync(AddressRequest.NextFree(Vpc, prod.Prefix, "port-web-4"));
    Console.WriteLine($"web-2 released {gone[0].Address}; web-4 got {next.Address} (the old address is held for {holdMinutes} minutes)");
    Console.WriteLine($"who has {db.Address}? {(await ipam.FindByAddressAsync(Vpc, db.Address))?.Owner}");
    Console.WriteLine();

    // 7. The utilization table: exact counts, read in O(1) per network.
    Console.WriteLine($"{"network",-9}{"prefix",-15}{"size",6}{"resvd",6}{"alloc",6}{"held",5}{"free",6}  used");
    foreach (var network in await ipam.ListSubnetsAsync(Vpc))
    {
        var usage = await ipam.GetSubnetUtilizationAsync(Vpc, network.Prefix);
        Console.WriteLine(
            $"{network.Name,-9}{network.Prefix,-15}{usage.Size,6}{usage.Reserved,6}{usage.Allocated,6}{usage.Held,5}{usage.Free,6}  {Bar(usage.FillRatio)}");
    }

    var total = await ipam.GetSpaceUtilizationAsync(Vpc);
    Console.WriteLine($"{"VPC",-9}{vpcCidr,-15}{total.Size,6}{total.Reserved,6}{total.Allocated,6}{total.Held,5}{total.Free,6}  {Bar(total.FillRatio)}  ({total.Carved} carved)");
}

static string Bar(double ratio)
{
    const int Width = 30;
    int filled = (int)Math.Ceiling(ratio * Width);
    return $"[{new string('#', filled)}{new string('.', Width - filled)}] {ratio,6:P1}";
}
