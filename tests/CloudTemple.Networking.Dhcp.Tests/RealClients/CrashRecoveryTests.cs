using System.Text.RegularExpressions;
using CloudTemple.Networking.Testing;

namespace CloudTemple.Networking.Dhcp.Tests.RealClients;

/// <summary>
/// The sample server on a durable store, killed with SIGKILL under perfdhcp load and restarted on the same
/// store: every lease it had acknowledged must still be known.
/// </summary>
[Collection("network namespaces")]
public partial class CrashRecoveryTests
{
    // perfdhcp's -s makes its client MAC sequence repeatable, so the second run asks again for the first run's clients.
    private const string Seed = "20261123";

    [SkippableFact]
    public void A_server_killed_under_load_keeps_every_acknowledged_lease_on_sqlite()
    {
        string database = Path.Combine(Path.GetTempPath(), $"dhcp-crash-{Guid.NewGuid():N}.db");
        try
        {
            KillRestartAndCompare("sqlite:" + database);
        }
        finally
        {
            foreach (string file in new[] { database, database + "-wal", database + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [SkippableFact]
    public void A_server_killed_under_load_keeps_every_acknowledged_lease_on_postgresql()
    {
        string psql = Interop.RequireTool("psql", "postgresql-client");
        string server = Environment.GetEnvironmentVariable("CLOUDTEMPLE_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres";
        string database = $"cloudtemple_crash_{Guid.NewGuid():N}";
        var created = ExternalProcess.Run(psql, [Libpq(server), "-c", $"CREATE DATABASE {database}"]);
        Interop.Require(created.ExitCode == 0, $"no PostgreSQL server accepts CREATE DATABASE at '{server}': {created.StandardError.Trim()}");
        // The server runs in its own network namespace, where 127.0.0.1 is not the host's: it reaches PostgreSQL
        // through the Unix socket, which network namespaces do not separate (.ci/run starts it with -k /tmp).
        string port = Libpq(server).Split(' ').FirstOrDefault(p => p.StartsWith("port=", StringComparison.Ordinal))?[5..] ?? "5432";
        Interop.Require(File.Exists($"/tmp/.s.PGSQL.{port}"), $"PostgreSQL has no Unix socket /tmp/.s.PGSQL.{port} for a server in a network namespace.");
        string viaSocket = string.Join(';', server.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => !pair.StartsWith("Host=", StringComparison.OrdinalIgnoreCase) && !pair.StartsWith("Database=", StringComparison.OrdinalIgnoreCase))
            .Prepend("Host=/tmp")
            .Append($"Database={database}"));
        try
        {
            KillRestartAndCompare("postgresql:" + viaSocket);
        }
        finally
        {
            ExternalProcess.Run(psql, [Libpq(server), "-c", $"DROP DATABASE IF EXISTS {database} WITH (FORCE)"]);
        }
    }

    // An Npgsql connection string as libpq key=value pairs, for psql.
    private static string Libpq(string npgsql)
    {
        var pairs = npgsql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => (Key: kv[0].ToLowerInvariant() switch { "username" or "user id" => "user", "database" => "dbname", var k => k }, Value: kv[1]));
        return string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"));
    }

    private static void KillRestartAndCompare(string store)
    {
        string perfdhcp = Interop.RequireTool("perfdhcp", "kea-admin");
        using var lab = DhcpLab.Start(["--subnet", "10.77.0.0/16", "--router", "10.77.0.1", "--pool", "10.77.1.0-10.77.255.254", "--store", store]);
        // perfdhcp acts as a relay: it needs an address on the link, which becomes giaddr.
        lab.Client("ip", "addr", "add", "10.77.0.3/16", "dev", DhcpLab.ClientInterface).EnsureSuccess("ip addr add");
        string[] load = ["-4", "-l", DhcpLab.ClientInterface, "-r", "200", "-R", "3000", "-s", Seed];

        // 1. Load, and a SIGKILL once the server has acknowledged a few hundred leases.
        var firstRun = Task.Run(() => lab.Client(perfdhcp, [.. load, "-p", "6", DhcpLab.ServerAddress]));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (lab.CountServerLines(IsAck) < 300 && DateTime.UtcNow < deadline && !firstRun.IsCompleted)
        {
            Thread.Sleep(20);
        }

        lab.KillServer();
        firstRun.Wait();
        var beforeCrash = Acks(lab.ServerOutput);
        Assert.True(beforeCrash.Count >= 300, $"only {beforeCrash.Count} leases were acknowledged before the kill; the server said:\n{string.Join('\n', lab.ServerOutput.TakeLast(15))}");

        // 2. The same store, and the same clients asking again.
        lab.RestartServer();
        var secondRun = lab.Client(perfdhcp, [.. load, "-p", "3", DhcpLab.ServerAddress]);
        Assert.True(secondRun.ExitCode is 0 or 3, secondRun.StandardOutput + secondRun.StandardError);
        var afterRestart = Acks(lab.ServerOutput.SkipWhile(l => l != DhcpLab.RestartMarker));

        // Same client, same address; no acknowledged address handed to another client.
        var holderOf = beforeCrash.ToDictionary(a => a.Value, a => a.Key);
        int askedAgain = 0;
        foreach (var (client, address) in afterRestart)
        {
            if (beforeCrash.TryGetValue(client, out var before))
            {
                askedAgain++;
                Assert.Equal(before, address);
            }

            Assert.True(!holderOf.TryGetValue(address, out var holder) || holder == client, $"{address}, acknowledged to {holder} before the crash, went to {client} after it");
        }

        Assert.True(askedAgain >= 100, $"only {askedAgain} clients of the first run asked again: the comparison would prove little");
    }

    private static bool IsAck(string line) => AckLine().IsMatch(line);

    // client -> address, the last acknowledgement of each client.
    private static Dictionary<string, string> Acks(IEnumerable<string> lines)
    {
        var acks = new Dictionary<string, string>();
        foreach (string line in lines)
        {
            var match = AckLine().Match(line);
            if (match.Success)
            {
                acks[match.Groups["client"].Value] = match.Groups["address"].Value;
            }
        }

        return acks;
    }

    // DhcpLog.Leased: "{Reply} {Address} to {Client} ({Mac}) on {Subnet}, lease ..."
    [GeneratedRegex(@"\bAck (?<address>\d+\.\d+\.\d+\.\d+) to (?<client>\S+) ", RegexOptions.IgnoreCase)]
    private static partial Regex AckLine();
}
