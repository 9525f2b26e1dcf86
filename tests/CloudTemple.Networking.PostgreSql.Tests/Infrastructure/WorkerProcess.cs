namespace CloudTemple.Networking.PostgreSql.Tests;

/// <summary>Runs the allocator console app (CloudTemple.Networking.PostgreSql.Worker) as a separate OS process.</summary>
internal static class WorkerProcess
{
    /// <summary>The worker's assembly, built beside this test project (same configuration).</summary>
    public static string AssemblyPath
    {
        get
        {
            // .../tests/CloudTemple.Networking.PostgreSql.Tests/bin/<Configuration>/<tfm>/
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string tfm = output.Name;
            string configuration = output.Parent!.Name;
            string tests = output.Parent.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(tests, "CloudTemple.Networking.PostgreSql.Worker", "bin", configuration, tfm, "CloudTemple.Networking.PostgreSql.Worker.dll");
        }
    }

    /// <summary>Starts <paramref name="count"/> workers with the same arguments (plus a common start time) and returns each one's output lines.</summary>
    public static async Task<IReadOnlyList<string[]>> RunAllAsync(int count, Func<int, string[]> arguments)
    {
        Assert.True(File.Exists(AssemblyPath), $"The worker is not built at {AssemblyPath}.");
        string dotnet = ExternalProcess.Find("dotnet") ?? "dotnet";
        // Every worker waits for the same instant, so that their allocations really overlap in time.
        string startAt = DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var runs = Enumerable.Range(0, count).Select(i => Task.Run(() =>
            ExternalProcess.Run(dotnet, [AssemblyPath, .. arguments(i), startAt], timeout: TimeSpan.FromMinutes(2)).EnsureSuccess($"worker {i}")));
        var results = await Task.WhenAll(runs);
        return [.. results.Select(r => r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
    }
}
