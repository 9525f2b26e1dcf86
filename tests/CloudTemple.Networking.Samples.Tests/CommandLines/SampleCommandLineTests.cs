using CloudTemple.Networking.Testing;

namespace CloudTemple.Networking.Samples.Tests.CommandLines;

/// <summary>Each sample's command line, as a person types it: --help, --name=value, a bad value, a missing interface.</summary>
public class SampleCommandLineTests
{
    public static TheoryData<string, string[]> HelpCases => new()
    {
        { "DhcpServer", ["--interface <IF>", "--subnet <CIDR>", "--router <IP>", "--store <memory|sqlite:PATH|postgresql:CONNECTION-STRING>"] },
        { "IpamPlanner", ["--vpc <CIDR>", "--reuse-hold <MINUTES>"] },
        { "PacketTour", ["--vpc <CIDR>", "--public-address <IP>"] },
        { "RouteLookup", ["--routes <FILE>", "--address <IP>"] },
    };

    // A value each sample refuses, and the library's own message for it.
    public static TheoryData<string, string[], string> BadValueCases => new()
    {
        {
            "DhcpServer", ["--interface", "lo", "--subnet", "10.0.1.7/24", "--router", "10.0.1.1"],
            "DhcpServer: --subnet: '10.0.1.7/24' has host bits set; did you mean 10.0.1.0/24?"
        },
        {
            "DhcpServer", ["--interface=lo", "--subnet=10.0.1.0/24", "--router=10.0.1.1", "--static-route=192.168.0.0/16=10.0.1"],
            "DhcpServer: --static-route: '10.0.1' is not an IPv4 address in dotted-quad notation"
        },
        { "IpamPlanner", ["--vpc=10.0.0.1/16"], "IpamPlanner: --vpc: '10.0.0.1/16' has host bits set; did you mean 10.0.0.0/16?" },
        { "PacketTour", ["--public-address", "203.0.113"], "PacketTour: --public-address: '203.0.113' is not an IPv4 address in dotted-quad notation" },
        { "RouteLookup", ["--routes", "/dev/null", "--address", "10.0.0.256"], "RouteLookup: --address: '10.0.0.256' is not an IPv4 address in dotted-quad notation" },
    };

    [Theory]
    [MemberData(nameof(HelpCases))]
    public void Help_prints_the_usage_with_every_option_and_exits_0(string sample, string[] options)
    {
        var result = SamplePrograms.Run(sample, ["--help"]);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains($"Usage:\n  {sample} [options]", result.StandardOutput.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        foreach (string option in options)
        {
            Assert.Contains(option, result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, result.StandardError);
    }

    [Theory]
    [MemberData(nameof(BadValueCases))]
    public void A_bad_value_exits_2_with_the_library_message_and_no_stack_trace(string sample, string[] arguments, string message)
    {
        var result = SamplePrograms.Run(sample, arguments);

        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}:\n{result.StandardOutput}{result.StandardError}");
        var lines = result.StandardError.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, result.StandardError);
        Assert.StartsWith(message, lines[0], StringComparison.Ordinal);
        Assert.Equal($"Run '{sample} --help' for usage.", lines[1]);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Fact]
    public void A_missing_required_option_is_named()
    {
        var result = SamplePrograms.Run("DhcpServer", ["--interface", "lo", "--subnet", "10.0.1.0/24"]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("DhcpServer: Option '--router' is required.", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void DhcpServer_on_a_missing_interface_prints_one_line_and_exits_1()
    {
        var result = SamplePrograms.Run("DhcpServer", ["--interface=ct-missing0", "--subnet=10.0.1.0/24", "--router=10.0.1.1"]);

        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}:\n{result.StandardOutput}{result.StandardError}");
        Assert.Equal("DhcpServer: Interface 'ct-missing0' does not exist.\n", result.StandardError.ReplaceLineEndings("\n"));
        Assert.DoesNotContain(" at ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void DhcpServer_refuses_a_pool_outside_the_subnet_with_the_validator_message()
    {
        var result = SamplePrograms.Run("DhcpServer", ["--interface=lo", "--subnet=10.0.1.0/24", "--router=10.0.1.1", "--pool=10.0.2.1-10.0.2.9"]);

        Assert.Equal(2, result.ExitCode);
        // The validator's own message, which names the option's key first.
        Assert.StartsWith(
            "DhcpServer: DhcpServerOptions:Subnets:0:PoolStart/PoolEnd: pool 10.0.2.1-10.0.2.9 must be a range of host addresses of 10.0.1.0/24",
            result.StandardError,
            StringComparison.Ordinal);
    }

    [Fact]
    public void IpamPlanner_without_arguments_plans_10_0_0_0_16()
    {
        var result = SamplePrograms.Run("IpamPlanner", []);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("carved prod     10.0.0.0/20    gateway 10.0.0.1", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("carved dev      10.0.20.0/26", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("who has 10.0.0.100? port-db-1", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"VPC      10\.0\.0\.0/16     65536", result.StandardOutput);
    }

    [Fact]
    public void IpamPlanner_takes_name_equals_value()
    {
        var result = SamplePrograms.Run("IpamPlanner", ["--vpc=172.16.0.0/16", "--reuse-hold=10"]);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("carved prod     172.16.0.0/20", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("held for 10 minutes", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("who has 172.16.0.100? port-db-1", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void PacketTour_rewrites_the_source_to_the_public_address_given()
    {
        var result = SamplePrograms.Run("PacketTour", ["--public-address=198.51.100.9"]);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("After SNAT: 198.51.100.9:61000 -> 192.0.2.7:53, IPv4 checksum valid: True, UDP checksum valid: True", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void RouteLookup_names_the_file_and_line_of_a_malformed_route()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["default via 10.0.0.1 dev eth0", "10.1.0.0/16 via 10.0.0.300"]);
            var result = SamplePrograms.Run("RouteLookup", ["--routes", file], "10.1.2.3\n");

            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith($"{file}:2: '10.0.0.300' is not an IPv4 address", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void RouteLookup_answers_the_addresses_on_standard_input_in_order()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["default via 10.0.0.1 dev eth0", "blackhole 192.0.2.0/24"]);
            var result = SamplePrograms.Run("RouteLookup", ["--routes", file], "192.0.2.1\n\n 1.1.1.1 \n");

            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Equal("192.0.2.1 blackhole 192.0.2.0/24\n1.1.1.1 default via 10.0.0.1 dev eth0\n", result.StandardOutput.ReplaceLineEndings("\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void RouteLookup_answers_addresses_given_on_the_command_line()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["default via 10.0.0.1 dev eth0 proto dhcp src 10.0.0.5 metric 100", "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.5"]);
            var result = SamplePrograms.Run("RouteLookup", [$"--routes={file}", "--address=10.0.0.9", "--address", "8.8.8.8"]);

            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Equal(
                "10.0.0.9 10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.5\n8.8.8.8 default via 10.0.0.1 dev eth0 proto dhcp src 10.0.0.5 metric 100\n",
                result.StandardOutput.ReplaceLineEndings("\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
