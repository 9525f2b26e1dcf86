using CloudTemple.Networking.Testing;

namespace CloudTemple.Networking.Dhcp.Tests.RealClients;

/// <summary>Real DHCP clients (ISC dhclient, busybox udhcpc, Kea's perfdhcp) against the sample server, in namespaces made by the test.</summary>
[Collection("network namespaces")]
public class RealClientInteropTests
{
    private static readonly string[] ServerArguments =
    [
        "--subnet", "10.77.0.0/24", "--router", "10.77.0.1", "--pool", "10.77.0.100-10.77.0.199",
        "--dns", "10.77.0.53,10.77.0.54", "--domain", "vpc.test", "--mtu", "1400",
        "--static-route", "192.168.50.0/24=10.77.0.254", "--static-route", "172.20.0.0/16=10.77.0.1",
    ];

    private static string[] Dhclient(DhcpLab lab, params string[] extra) =>
    [
        "-1", "-v", "-pf", Path.Combine(lab.WorkDirectory, "dhclient.pid"), "-lf", Path.Combine(lab.WorkDirectory, "dhclient.leases"),
        .. extra, DhcpLab.ClientInterface,
    ];

    [SkippableFact]
    public void Dhclient_gets_a_lease_and_applies_mask_router_dns_mtu_and_classless_static_routes()
    {
        string dhclient = Interop.RequireTool("dhclient", "isc-dhcp-client");
        using var lab = DhcpLab.Start(ServerArguments);

        lab.Client(dhclient, Dhclient(lab)).EnsureSuccess("dhclient");

        string address = lab.Client("ip", "-4", "addr", "show", "dev", DhcpLab.ClientInterface).EnsureSuccess("ip addr").StandardOutput;
        Assert.Matches(@"inet 10\.77\.0\.1\d\d/24 brd 10\.77\.0\.255", address);
        Assert.Contains("mtu 1400", address, StringComparison.Ordinal);
        string routes = lab.Client("ip", "-4", "route").EnsureSuccess("ip route").StandardOutput;
        Assert.Contains("default via 10.77.0.1", routes, StringComparison.Ordinal);
        Assert.Contains("192.168.50.0/24 via 10.77.0.254", routes, StringComparison.Ordinal);
        Assert.Contains("172.20.0.0/16 via 10.77.0.1", routes, StringComparison.Ordinal);
        string resolv = File.ReadAllText(Path.Combine("/etc/netns", lab.ClientNamespace.Name, "resolv.conf"));
        Assert.Contains("nameserver 10.77.0.53", resolv, StringComparison.Ordinal);
        Assert.Contains("nameserver 10.77.0.54", resolv, StringComparison.Ordinal);
        Assert.Contains("vpc.test", resolv, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Dhclient_renews_a_short_lease_and_its_release_frees_the_address()
    {
        string dhclient = Interop.RequireTool("dhclient", "isc-dhcp-client");
        using var lab = DhcpLab.Start([.. ServerArguments, "--lease-time", "12"]);

        lab.Client(dhclient, Dhclient(lab)).EnsureSuccess("dhclient");
        string ack = lab.WaitForServerLine(l => l.Contains("Ack 10.77.0.", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        string address = ack[(ack.IndexOf("Ack ", StringComparison.Ordinal) + 4)..].Split(' ')[0];

        // T1 is 6 s: the daemon renews by unicast, and the server acks the same address again.
        lab.WaitForServerLine(_ => lab.CountServerLines(l => l.Contains($"Ack {address} ", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(20));

        lab.Client(dhclient, ["-r", .. Dhclient(lab)[1..]]).EnsureSuccess("dhclient -r");
        lab.WaitForServerLine(l => l.Contains($"RELEASE of {address} ", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        // Without -4: the interface is listed even with no IPv4 address left, so an empty answer cannot pass.
        string after = lab.Client("ip", "addr", "show", "dev", DhcpLab.ClientInterface).EnsureSuccess("ip addr").StandardOutput;
        Assert.Contains(DhcpLab.ClientInterface + "@", after, StringComparison.Ordinal);
        Assert.DoesNotContain(address, after, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Udhcpc_gets_a_lease()
    {
        string udhcpc = Interop.RequireTool("udhcpc", "udhcpc");
        using var lab = DhcpLab.Start(ServerArguments);

        var result = lab.Client(udhcpc, "-i", DhcpLab.ClientInterface, "-n", "-q", "-f", "-t", "5", "-s", "/bin/true").EnsureSuccess("udhcpc");

        RequireLine(result, @"lease of 10\.77\.0\.1\d\d obtained from 10\.77\.0\.2");
    }

    [SkippableFact]
    public void Perfdhcp_runs_a_short_load_with_no_drops_and_no_duplicate_addresses()
    {
        string perfdhcp = Interop.RequireTool("perfdhcp", "kea-admin");
        using var lab = DhcpLab.Start(["--subnet", "10.77.0.0/16", "--router", "10.77.0.1", "--pool", "10.77.1.0-10.77.255.254"]);
        // perfdhcp acts as a relay: it needs an address on the link, which becomes giaddr.
        lab.Client("ip", "addr", "add", "10.77.0.3/16", "dev", DhcpLab.ClientInterface).EnsureSuccess("ip addr add");

        // -W: the answer to a DISCOVER sent in the last instant still counts (half a second), instead of being a "drop".
        var result = lab.Client(perfdhcp, "-4", "-l", DhcpLab.ClientInterface, "-r", "200", "-p", "5", "-W", "500000", "-R", "5000", DhcpLab.ServerAddress)
            .EnsureSuccess("perfdhcp");

        // Each exchange's statistics must be there, with no drop and no address given twice.
        foreach (string exchange in new[] { "DISCOVER-OFFER", "REQUEST-ACK" })
        {
            var section = RequireLine(result, exchange + @"\*\*\*(?<stats>(?:\s+[a-z ]+: [^\n]*)+)").Groups["stats"].Value;
            Assert.Matches(@"sent packets: [1-9]\d*\b", section);
            Assert.Matches(@"received packets: [1-9]\d*\b", section);
            Assert.Matches(@"drops: 0\b", section);
            Assert.Matches(@"non unique addresses: 0\b", section);
        }
    }

    /// <summary>The match of <paramref name="pattern"/> in what the command printed; fails with its whole output when absent.</summary>
    private static System.Text.RegularExpressions.Match RequireLine(ProcessResult result, string pattern)
    {
        string output = result.StandardOutput + result.StandardError;
        var match = System.Text.RegularExpressions.Regex.Match(output, pattern);
        Assert.True(match.Success, $"expected /{pattern}/ in the output:\n{output}");
        return match;
    }
}
