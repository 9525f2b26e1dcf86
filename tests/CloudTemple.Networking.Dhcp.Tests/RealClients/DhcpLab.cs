using System.Collections.Concurrent;
using System.Diagnostics;
using CloudTemple.Networking.Testing;

namespace CloudTemple.Networking.Dhcp.Tests.RealClients;

/// <summary>
/// Two network namespaces joined by a veth pair: the sample DhcpServer runs in one (as its own process,
/// since a namespace belongs to a process), real clients in the other. Everything is torn down on dispose.
/// </summary>
public sealed class DhcpLab : IDisposable
{
    public const string ServerInterface = "vsrv";
    public const string ClientInterface = "vcli";
    public const string ServerAddress = "10.77.0.2";

    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<IDisposable> _cleanup = [];
    private Process? _server;
    private string[] _start = [];

    private DhcpLab()
    {
    }

    public NetworkNamespace ServerNamespace { get; private set; } = null!;

    public NetworkNamespace ClientNamespace { get; private set; } = null!;

    /// <summary>A directory for the clients' pid, lease and config files.</summary>
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("dhcp-lab-").FullName;

    /// <summary>What the server printed so far.</summary>
    public IReadOnlyCollection<string> ServerOutput => _lines;

    /// <summary>Creates the namespaces and the veth pair and starts the server with <paramref name="serverArguments"/> (interface added).</summary>
    public static DhcpLab Start(params string[] serverArguments)
    {
        Interop.RequireRoot();
        string ip = Interop.RequireTool("ip", "iproute2");
        string dotnet = Interop.RequireTool("dotnet", "dotnet-sdk-10.0");
        string serverDll = SamplePrograms.FindDll("DhcpServer");
        Interop.Require(File.Exists(serverDll), $"the sample server was not built at {serverDll}.");

        var lab = new DhcpLab();
        try
        {
            lab.ServerNamespace = NetworkNamespace.Create("dhs");
            lab._cleanup.Add(lab.ServerNamespace);
            lab.ClientNamespace = NetworkNamespace.Create("dhc");
            lab._cleanup.Add(lab.ClientNamespace);
            // ip netns exec bind-mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf: dhclient-script writes there, not to the host's file.
            string etc = Path.Combine("/etc/netns", lab.ClientNamespace.Name);
            Directory.CreateDirectory(etc);
            File.WriteAllText(Path.Combine(etc, "resolv.conf"), string.Empty);
            lab._cleanup.Add(new Cleanup(() => Directory.Delete(etc, recursive: true)));

            ExternalProcess.Run(ip, ["link", "add", ServerInterface, "netns", lab.ServerNamespace.Name, "type", "veth",
                "peer", "name", ClientInterface, "netns", lab.ClientNamespace.Name]).EnsureSuccess("ip link add veth");
            lab.ServerNamespace.Exec(ip, "addr", "add", ServerAddress + "/24", "dev", ServerInterface).EnsureSuccess("ip addr add");
            lab.ServerNamespace.Exec(ip, "link", "set", ServerInterface, "up").EnsureSuccess("ip link set up");
            lab.ClientNamespace.Exec(ip, "link", "set", ClientInterface, "up").EnsureSuccess("ip link set up");

            lab.StartServer(ip, dotnet, serverDll, ["--interface", ServerInterface, .. serverArguments]);
            lab.WaitForServerLine(l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>Runs a program in the client namespace.</summary>
    public ProcessResult Client(string program, params string[] arguments) => ClientNamespace.Exec(program, arguments);

    /// <summary>Waits until the server printed a line matching <paramref name="match"/>; fails with the output otherwise.</summary>
    public string WaitForServerLine(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var line = _lines.FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }

            if (_server is { HasExited: true })
            {
                break;
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"The DHCP server did not print the expected line in {timeout}. Output:\n{string.Join('\n', _lines)}");
    }

    public int CountServerLines(Func<string, bool> match) => _lines.Count(match);

    /// <summary>Kills the server with SIGKILL (no shutdown, no flush): what a crash or an OOM kill does.</summary>
    public void KillServer()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }

        _server?.Dispose();
        _server = null;
    }

    /// <summary>Starts the server again with the same arguments; its output goes to <see cref="ServerOutput"/> after a marker line.</summary>
    public void RestartServer()
    {
        KillServer();
        static bool Listening(string line) => line.Contains("listening on", StringComparison.Ordinal);
        int started = CountServerLines(Listening);
        _lines.Enqueue(RestartMarker);
        StartServer(_start[0], _start[1], _start[2], _start[3..]);
        var deadline = Stopwatch.StartNew();
        while (CountServerLines(Listening) == started)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30) || _server is { HasExited: true })
            {
                throw new TimeoutException($"The restarted DHCP server did not start listening. Output:\n{string.Join('\n', _lines)}");
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>The line put in <see cref="ServerOutput"/> before the output of a restarted server.</summary>
    public const string RestartMarker = "--- server restarted ---";

    public void Dispose()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }

        _server?.Dispose();
        // Kill whatever else still runs in the namespaces (a dhclient daemon), then delete them.
        foreach (var ns in new[] { ClientNamespace, ServerNamespace })
        {
            if (ns is null)
            {
                continue;
            }

            var pids = ExternalProcess.Run(ExternalProcess.Find("ip") ?? "ip", ["netns", "pids", ns.Name]);
            foreach (var pid in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                try
                {
                    using var process = Process.GetProcessById(int.Parse(pid.Trim(), System.Globalization.CultureInfo.InvariantCulture));
                    process.Kill();
                    process.WaitForExit(5_000);
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }

        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            _cleanup[i].Dispose();
        }

        Directory.Delete(WorkDirectory, recursive: true);
    }

    private void StartServer(string ip, string dotnet, string serverDll, string[] arguments)
    {
        _start = [ip, dotnet, serverDll, .. arguments];
        var info = new ProcessStartInfo(ip)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["netns", "exec", ServerNamespace.Name, dotnet, serverDll, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        _server = Process.Start(info) ?? throw new InvalidOperationException("Could not start the DHCP server.");
        _server.OutputDataReceived += (_, e) => Enqueue(e.Data);
        _server.ErrorDataReceived += (_, e) => Enqueue(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
    }

    private void Enqueue(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
