using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

/// <summary>
/// What the samples share on their command lines: values read by the library's own parsers (so that a
/// bad value is refused with the library's message, such as "has host bits set; did you mean ...?"),
/// and one exit code, 2, for every bad command line.
/// </summary>
internal static class SampleCommandLine
{
    /// <summary>The exit code of a command line that was refused.</summary>
    public const int BadUsage = 2;

    /// <summary>An option whose value <paramref name="parse"/> reads; a <see cref="FormatException"/> becomes the error, message unchanged.</summary>
    public static Option<T> Value<T>(string name, string helpName, string description, Func<string, T> parse) => new(name)
    {
        HelpName = helpName,
        Description = description,
        CustomParser = result => Read(result, parse, default!),
    };

    /// <summary>A repeatable option (<c>--name A --name B</c>, or <c>--name A,B</c> when <paramref name="commaSeparated"/>).</summary>
    public static Option<List<T>> Values<T>(string name, string helpName, string description, Func<string, T> parse, bool commaSeparated = false) => new(name)
    {
        HelpName = helpName,
        Description = description,
        Arity = ArgumentArity.OneOrMore,
        CustomParser = result =>
        {
            var values = new List<T>();
            foreach (var token in result.Tokens)
            {
                foreach (string part in commaSeparated ? token.Value.Split(',') : [token.Value])
                {
                    if (!TryRead(result, part, parse, out var value))
                    {
                        return values;
                    }

                    values.Add(value);
                }
            }

            return values;
        },
    };

    /// <summary>Reads <c>LEFT=RIGHT</c> (a static route, a reservation) with the library's parsers for each side.</summary>
    public static (TLeft Left, TRight Right) Pair<TLeft, TRight>(string text, char separator, string example, Func<string, TLeft> left, Func<string, TRight> right)
    {
        var parts = text.Split(separator);
        return parts.Length == 2
            ? (left(parts[0]), right(parts[1]))
            : throw new FormatException($"'{text}' is not of the form {example}.");
    }

    /// <summary>Parses and runs the command; a refused command line prints one line per error and exits with <see cref="BadUsage"/>.</summary>
    /// <remarks>SIGINT/SIGTERM keep their usual meaning: the command line does not catch them (a host does, when there is one).</remarks>
    public static Task<int> InvokeAsync(RootCommand command, string[] args)
    {
        var result = command.Parse(args);
        return result.Action is ParseErrorAction
            ? Task.FromResult(Refuse(result))
            : result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>Prints <c>NAME: message</c> on standard error, then where the usage is, and returns <see cref="BadUsage"/>.</summary>
    public static int Refuse(ParseResult result, params IEnumerable<string> messages)
    {
        string name = result.RootCommandResult.Command.Name;
        foreach (string message in result.Errors.Select(e => e.Message).Concat(messages))
        {
            Console.Error.WriteLine($"{name}: {message}");
        }

        Console.Error.WriteLine($"Run '{name} --help' for usage.");
        return BadUsage;
    }

    private static T Read<T>(ArgumentResult result, Func<string, T> parse, T fallback) =>
        TryRead(result, result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value)), parse, out var value)
            ? value
            : fallback;

    private static bool TryRead<T>(ArgumentResult result, string text, Func<string, T> parse, out T value)
    {
        try
        {
            value = parse(text);
            return true;
        }
        catch (FormatException error)
        {
            string option = result.Parent is OptionResult parent ? parent.Option.Name : "value";
            result.AddError($"{option}: {error.Message}");
            value = default!;
            return false;
        }
    }
}
