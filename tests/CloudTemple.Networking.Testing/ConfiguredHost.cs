using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace CloudTemple.Networking.Testing;

/// <summary>
/// Generic hosts configured as a user's would be: an appsettings.json (the examples in docs/configuration, which the
/// guides show), optionally overridden key by key, then started so that ValidateOnStart runs.
/// </summary>
public static class ConfiguredHost
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CloudTemple.Networking.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CloudTemple.Networking.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository's root folder.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The path of an example in docs/configuration, for example <c>dhcp.appsettings.json</c>.</summary>
    public static string Example(string fileName) => Path.Combine(RepositoryRoot, "docs", "configuration", fileName);

    /// <summary>A host builder whose configuration is the example file, then <paramref name="overrides"/> (key, value; the last one of a key wins).</summary>
    public static HostApplicationBuilder FromExample(string fileName, params (string Key, string? Value)[] overrides)
    {
        var builder = Empty();
        builder.Configuration.AddJsonFile(Example(fileName), optional: false, reloadOnChange: false);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in overrides)
        {
            values[key] = value; // the last override of a key wins, as in layered configuration
        }

        builder.Configuration.AddInMemoryCollection(values);
        return builder;
    }

    /// <summary>A host builder whose configuration is the given JSON text.</summary>
    public static HostApplicationBuilder FromJson(string json)
    {
        var builder = Empty();
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        return builder;
    }

    /// <summary>Builds and starts the host; the caller stops and disposes it.</summary>
    public static async Task<IHost> StartAsync(HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return host;
    }

    /// <summary>Builds the host, asserts that starting it fails with <see cref="OptionsValidationException"/>, and returns it.</summary>
    public static async Task<OptionsValidationException> StartFailsAsync(HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        using var host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync()).ConfigureAwait(false);
    }

    /// <summary>Asserts that a guide (docs/<paramref name="guide"/>) shows the example file's text verbatim, so that the guide cannot drift from what the tests bind.</summary>
    public static void AssertGuideShows(string guide, string exampleFileName)
    {
        string markdown = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", guide)).ReplaceLineEndings("\n");
        string example = File.ReadAllText(Example(exampleFileName)).ReplaceLineEndings("\n").Trim();
        Assert.True(markdown.Contains(example, StringComparison.Ordinal), $"docs/{guide} must show docs/configuration/{exampleFileName} verbatim.");
    }

    private static HostApplicationBuilder Empty() =>
        Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
}
