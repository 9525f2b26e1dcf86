using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Configuration;

// Runs a source-generated DataAnnotations validator ([OptionsValidator]) and names configuration keys in its messages.
internal sealed class AnnotatedOptionsValidator<TOptions, TGenerated>(OptionsKeys<TOptions> keys) : IValidateOptions<TOptions>
    where TOptions : class
    where TGenerated : IValidateOptions<TOptions>, new()
{
    private static readonly TGenerated Generated = new();

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        // No name: the generated messages then root member paths at the type name, which Rewrite maps to keys.
        var result = Generated.Validate(null, options);
        return result.Failed
            ? ValidateOptionsResult.Fail((result.Failures ?? [result.FailureMessage]).Select(f => keys.Rewrite(name, f)))
            : result;
    }
}
