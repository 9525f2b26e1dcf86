using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Configuration;

// Linked into every library (src/Shared): where each named instance of TOptions was bound from, so that every
// validation message names a configuration key ("Dhcp:Subnets:0:Prefix") a user can find in appsettings.json.
// Options configured in code have no section; their keys start with the type name ("DhcpServerOptions:Subnets:0:Prefix").
internal sealed class OptionsKeys<TOptions>
    where TOptions : class
{
    // Member paths the generated DataAnnotations validators write: DhcpServerOptions.Subnets[0].Mtu.
    private static readonly Regex GeneratedPath = new(
        $@"(?<![\w.:]){Regex.Escape(typeof(TOptions).Name)}((?:\.[A-Za-z_]\w*|\[\d+\])*)",
        RegexOptions.CultureInvariant);

    private readonly ConcurrentDictionary<string, string> _sections = new(StringComparer.Ordinal);

    // The one instance of a service collection, added on first use (an instance, so that registration code can fill it).
    public static OptionsKeys<TOptions> In(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            // IsKeyedService first: ImplementationInstance throws on a keyed registration.
            if (!descriptor.IsKeyedService && descriptor.ServiceType == typeof(OptionsKeys<TOptions>) && descriptor.ImplementationInstance is OptionsKeys<TOptions> keys)
            {
                return keys;
            }
        }

        var added = new OptionsKeys<TOptions>();
        services.AddSingleton(added);
        return added;
    }

    public void SetSection(string? name, string path) => _sections[name ?? Options.DefaultName] = path;

    // The key of a member (relative, colon-separated, "" for the options themselves).
    public string Of(string? name, string member)
    {
        name ??= Options.DefaultName;
        string root = _sections.TryGetValue(name, out var path)
            ? path
            : name.Length == 0 ? typeof(TOptions).Name : $"{typeof(TOptions).Name}[{name}]";
        return root.Length == 0 ? member : member.Length == 0 ? root : root + ":" + member;
    }

    // Rewrites the member paths of a generated validator's message into keys.
    public string Rewrite(string? name, string message) =>
        GeneratedPath.Replace(message, m => Of(name, ToKey(m.Groups[1].Value)));

    private static string ToKey(string memberPath)
    {
        // ".Subnets[0].Mtu" -> "Subnets:0:Mtu"
        var key = new StringBuilder(memberPath.Length);
        foreach (char c in memberPath)
        {
            if (c is '.' or '[')
            {
                if (key.Length > 0)
                {
                    key.Append(':');
                }
            }
            else if (c != ']')
            {
                key.Append(c);
            }
        }

        return key.ToString();
    }
}
