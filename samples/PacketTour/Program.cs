using System.CommandLine;
using CloudTemple.Networking;
using CloudTemple.Networking.Checksums;
using CloudTemple.Networking.Packets;

// A tour of CloudTemple.Networking.Core: prefixes, MAC addresses, and a packet built, parsed and NATed.
//   dotnet run --project samples/PacketTour [-- --vpc 172.16.0.0/16 --public-address 198.51.100.9]

// 0. The command line: both options have defaults; a bad value exits with code 2 and the library's message.
var vpcOption = SampleCommandLine.Value(
    "--vpc",
    "CIDR",
    "The VPC's CIDR, /18 or larger (three /20 networks are carved from it).",
    text => Ipv4Prefix.Parse(text) is { Length: > 18 } small
        ? throw new FormatException($"{small} is too small for three /20 networks; give a /18 or larger.")
        : Ipv4Prefix.Parse(text));
vpcOption.DefaultValueFactory = _ => Ipv4Prefix.Parse("10.0.0.0/16");
var publicOption = SampleCommandLine.Value("--public-address", "IP", "The NAT gateway's public address.", Ipv4Address.Parse);
publicOption.DefaultValueFactory = _ => Ipv4Address.Parse("203.0.113.5");
var command = new RootCommand("A tour of CloudTemple.Networking.Core: prefixes, MAC addresses, and a packet built, parsed and NATed.")
{
    vpcOption, publicOption,
};
command.SetAction(parsed => Tour(parsed.GetValue(vpcOption), parsed.GetValue(publicOption)));
return await SampleCommandLine.InvokeAsync(command, args);

static void Tour(Ipv4Prefix vpc, Ipv4Address publicAddress)
{
    // 1. Carve a VPC CIDR into per-environment networks.
    Console.WriteLine($"VPC {vpc}: {vpc.Count:N0} addresses, {vpc.First} - {vpc.Last}");
    foreach (var (name, index) in new[] { ("prod", 0UL), ("pre-prod", 1UL), ("dev", 2UL) })
    {
        var network = vpc.GetSubnet(20, index);
        Console.WriteLine($"  {name,-9} {network,-15} mask {network.Mask}  {network.Count,5} addresses");
    }

    // 2. Host bits are a typo until you say otherwise.
    try
    {
        Ipv4Prefix.Parse("10.0.1.7/24");
    }
    catch (FormatException error)
    {
        Console.WriteLine($"Parse(\"10.0.1.7/24\") -> {error.Message}");
    }

    // 3. A virtual NIC gets a random locally administered MAC.
    var nic = MacAddress.NewLocallyAdministered(new Random(7));
    Console.WriteLine($"NIC MAC {nic} (Cisco {nic.ToString("D", null)}), locally administered: {nic.IsLocallyAdministered}");

    // 4. Build a UDP datagram in a stack buffer: Ethernet, IPv4, UDP, payload, checksums.
    Span<byte> frame = stackalloc byte[14 + 20 + 8 + 5];
    var vm = new Ipv4Address(vpc.GetSubnet(24, 1).Network.Value + 10); // 10.0.1.10 in 10.0.0.0/16
    var remote = Ipv4Address.Parse("192.0.2.7");
    int at = EthernetFrame.WriteHeader(frame, MacAddress.Parse("02:00:0a:00:01:01"), nic, EtherTypes.Ipv4);
    at += Ipv4Packet.WriteHeader(frame[at..], vm, remote, IpProtocols.Udp, 8 + 5);
    UdpDatagram.WriteHeader(frame[at..], 40000, 53, 5);
    "hello"u8.CopyTo(frame[(at + 8)..]);
    _ = UdpDatagram.TryParse(frame[at..], out var udp, out _);
    udp.UpdateChecksum(vm, remote);
    Console.WriteLine($"Frame ({frame.Length} bytes): {Convert.ToHexString(frame)}");

    // 5. Parse it back and rewrite the source as a NAT gateway would, with incremental checksums (RFC 1624).
    _ = EthernetFrame.TryParse(frame, out var ethernet, out _);
    _ = Ipv4Packet.TryParse(ethernet.Payload, out var ip, out _);
    _ = UdpDatagram.TryParse(ip.Payload, out var datagram, out _);
    datagram.Checksum = InternetChecksum.Update(InternetChecksum.Update(datagram.Checksum, ip.Source, publicAddress), datagram.SourcePort, (ushort)61000);
    datagram.SourcePort = 61000;
    ip.Source = publicAddress;
    Console.WriteLine($"After SNAT: {ip.Source}:{datagram.SourcePort} -> {ip.Destination}:{datagram.DestinationPort}, " +
        $"IPv4 checksum valid: {ip.IsHeaderChecksumValid}, UDP checksum valid: {datagram.IsChecksumValid(ip.Source, ip.Destination)}");

    // 6. A malformed packet is refused with a reason, never an exception.
    Span<byte> truncated = stackalloc byte[12];
    _ = Ipv4Packet.TryParse(truncated, out _, out var reason);
    Console.WriteLine($"A 12-byte 'IPv4 packet' is refused: {reason}");
}
