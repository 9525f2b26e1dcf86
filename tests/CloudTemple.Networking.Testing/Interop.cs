using Xunit;

namespace CloudTemple.Networking.Testing;

/// <summary>
/// Gates interop tests that need real peers (tshark, dhclient, network namespaces, PostgreSQL):
/// they skip with the reason on a machine that cannot run them, and fail instead when
/// <see cref="RequiredVariable"/> is set, as <c>.ci/run</c> does, so that CI never passes vacuously.
/// </summary>
public static class Interop
{
    /// <summary>The environment variable that turns a skip into a failure ("1" or "true").</summary>
    public const string RequiredVariable = "CLOUDTEMPLE_INTEROP_REQUIRED";

    /// <summary>Whether interop tests are mandatory in this run.</summary>
    public static bool Required =>
        Environment.GetEnvironmentVariable(RequiredVariable) is { } value
        && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Skips the test (or fails it when required) unless <paramref name="condition"/> holds.</summary>
    public static void Require(bool condition, string reason)
    {
        if (condition)
        {
            return;
        }

        if (Required)
        {
            throw new InvalidOperationException($"This interop test is required ({RequiredVariable} is set) but cannot run: {reason}");
        }

        throw new SkipException(reason);
    }

    /// <summary>The full path of a program on PATH (or in /usr/sbin, /sbin), or a skip/failure naming the package to install.</summary>
    public static string RequireTool(string program, string debianPackage)
    {
        string? path = ExternalProcess.Find(program);
        Require(path is not null, $"'{program}' is not installed (apt-get install {debianPackage}).");
        return path!;
    }

    /// <summary>Requires root on Linux (for network namespaces).</summary>
    public static void RequireRoot()
    {
        Require(OperatingSystem.IsLinux(), "network namespaces need Linux.");
        Require(Environment.UserName == "root", "network namespaces need root.");
    }
}
