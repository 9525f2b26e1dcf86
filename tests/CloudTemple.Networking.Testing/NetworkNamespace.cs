namespace CloudTemple.Networking.Testing;

/// <summary>
/// A Linux network namespace made by a test and deleted when disposed, so that real peers
/// (the kernel FIB, dhclient) run isolated from the host's own network.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name (as in <c>ip netns</c>).</summary>
    public string Name { get; }

    /// <summary>Creates a namespace with a unique name and its loopback up; skips or fails as <see cref="Interop"/> says when impossible.</summary>
    public static NetworkNamespace Create(string prefix)
    {
        Interop.RequireRoot();
        string ip = Interop.RequireTool("ip", "iproute2");
        string name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        var result = ExternalProcess.Run(ip, ["netns", "add", name]);
        Interop.Require(result.ExitCode == 0, $"'ip netns add' failed: {result.StandardError.Trim()}");
        var ns = new NetworkNamespace(name);
        ns.Exec(ip, "link", "set", "lo", "up").EnsureSuccess("ip link set lo up");
        return ns;
    }

    /// <summary>Runs a program inside the namespace.</summary>
    public ProcessResult Exec(string program, params string[] arguments) =>
        ExternalProcess.Run(ExternalProcess.Find("ip") ?? "ip", ["netns", "exec", Name, program, .. arguments]);

    /// <summary>Runs a program inside the namespace with standard input.</summary>
    public ProcessResult ExecWithInput(string standardInput, string program, params string[] arguments) =>
        ExternalProcess.Run(ExternalProcess.Find("ip") ?? "ip", ["netns", "exec", Name, program, .. arguments], standardInput);

    /// <inheritdoc/>
    public void Dispose() => ExternalProcess.Run(ExternalProcess.Find("ip") ?? "ip", ["netns", "delete", Name]);
}
