using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Configuration;

// Linked into every library (src/Shared): the one way options are bound from a configuration section.
internal static class ConfigurationBinding
{
    // Binds the options from the section, reloading them when it changes (IOptionsMonitor). A key the options do not
    // have, or a value that does not convert, is an OptionsValidationException naming the key: with ValidateOnStart
    // the host does not start, instead of running with a default (0.0.0.0/0) in place of the value.
    public static OptionsBuilder<TOptions> BindSection<TOptions>(this OptionsBuilder<TOptions> builder, IConfiguration section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddSingleton<IConfigureOptions<TOptions>>(new SectionBinder<TOptions>(builder.Name, section));
        builder.Services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(builder.Name, section));
        OptionsKeys<TOptions>.In(builder.Services).SetSection(builder.Name, (section as IConfigurationSection)?.Path ?? string.Empty);
        return builder;
    }

    // Adds the generated validator (ranges, formats) and the cross-field one, once each, and validates at start.
    public static OptionsBuilder<TOptions> ValidateAll<TOptions, TGenerated>(this OptionsBuilder<TOptions> builder)
        where TOptions : class
        where TGenerated : IValidateOptions<TOptions>, new()
    {
        var keys = OptionsKeys<TOptions>.In(builder.Services);
        builder.Services.TryAddEnumerableSingleton<IValidateOptions<TOptions>, AnnotatedOptionsValidator<TOptions, TGenerated>>(
            new AnnotatedOptionsValidator<TOptions, TGenerated>(keys));
        return builder.ValidateOnStart();
    }

    private static void TryAddEnumerableSingleton<TService, TImplementation>(this IServiceCollection services, TImplementation instance)
        where TService : class
        where TImplementation : class, TService
    {
        if (!services.Any(d => !d.IsKeyedService && d.ServiceType == typeof(TService) && d.ImplementationInstance is TImplementation))
        {
            services.AddSingleton<TService>(instance);
        }
    }

    private sealed class SectionBinder<TOptions>(string? boundName, IConfiguration section) : IConfigureNamedOptions<TOptions>
        where TOptions : class
    {
        private const string UnknownKeyPreamble = "'ErrorOnUnknownConfiguration' was set and binding has failed.";

        public void Configure(TOptions options) => Configure(Options.DefaultName, options);

        public void Configure(string? name, TOptions options)
        {
            name ??= Options.DefaultName;
            if (name != (boundName ?? Options.DefaultName))
            {
                return;
            }

            try
            {
                section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException e)
            {
                throw new OptionsValidationException(name, typeof(TOptions), [Describe(e, section)]);
            }
        }

        // The binder's messages name the key and the value ("Failed to convert configuration value '10.0.1.5/24' at
        // 'Dhcp:Subnets:0:Prefix' ..."); the innermost one is the converter's reason ("has host bits set; did you mean ...").
        private static string Describe(Exception e, IConfiguration section)
        {
            var parts = new List<string>();
            for (Exception? x = e; x is not null; x = x.InnerException)
            {
                if (!x.Message.StartsWith(UnknownKeyPreamble, StringComparison.Ordinal))
                {
                    parts.Add(x.Message.TrimEnd());
                }
            }

            string path = (section as IConfigurationSection)?.Path ?? string.Empty;
            string text = string.Join(" ", parts);
            // An unknown key's message names the type, not the section: say where to look.
            return text.Contains("were not found on the instance", StringComparison.Ordinal) && path.Length > 0
                ? $"{path}: {text} (a misspelt key in this section?)"
                : text;
        }
    }
}
