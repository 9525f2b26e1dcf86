namespace CloudTemple.Networking.Testing;

/// <summary>Finds and runs the samples' built programs (samples/NAME), built by the test project's references.</summary>
public static class SamplePrograms
{
    /// <summary>
    /// The sample's dll in the same configuration and framework as the running tests:
    /// tests/PROJECT/bin/CONFIGURATION/FRAMEWORK/ -> samples/NAME/bin/CONFIGURATION/FRAMEWORK/NAME.dll.
    /// </summary>
    /// <param name="name">The sample's folder and assembly name, such as <c>DhcpServer</c>.</param>
    /// <returns>The path (which may not exist when the sample was not built).</returns>
    public static string FindDll(string name)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name;
        string configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !Directory.Exists(Path.Combine(root.FullName, "samples", name)))
        {
            root = root.Parent;
        }

        return root is null
            ? $"samples/{name} (not found above the test output)"
            : Path.Combine(root.FullName, "samples", name, "bin", configuration, framework, name + ".dll");
    }

    /// <summary>Runs a sample with <c>dotnet NAME.dll ARGUMENTS</c>; throws when the sample or <c>dotnet</c> is missing.</summary>
    /// <param name="name">The sample.</param>
    /// <param name="arguments">Its command line.</param>
    /// <param name="standardInput">What it reads on standard input, if anything.</param>
    /// <returns>Its exit code and output.</returns>
    public static ProcessResult Run(string name, IEnumerable<string> arguments, string? standardInput = null)
    {
        string dll = FindDll(name);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The sample {name} was not built at {dll}.", dll);
        }

        // The tests run under the dotnet host (testhost.dll), which runs the sample too.
        string dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? host
            : ExternalProcess.Find("dotnet") ?? "dotnet";
        return ExternalProcess.Run(dotnet, [dll, .. arguments], standardInput ?? string.Empty);
    }
}
