namespace CloudTemple.Networking.Routing;

/// <summary>
/// The prefix of a route is not a valid IPv4 prefix: malformed, a length outside 0..32, or host
/// bits set after the length (the kernel refuses <c>10.0.0.1/8</c> too).
/// </summary>
public sealed class InvalidRoutePrefixException : NetworkingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="text">The prefix as written.</param>
    /// <param name="suggestion">The prefix probably meant (host bits cleared), if any.</param>
    public InvalidRoutePrefixException(string text, Ipv4Prefix? suggestion)
        : base(suggestion is { } meant
            ? $"'{text}' has host bits set; did you mean {meant}?"
            : $"'{text}' is not an IPv4 prefix; expected a.b.c.d/len (len 0 to 32), a.b.c.d or 'default'.")
    {
        Text = text;
        Suggestion = suggestion;
    }

    /// <summary>The prefix as written.</summary>
    public string Text { get; }

    /// <summary>The prefix probably meant (host bits cleared), or <see langword="null"/> when the text is malformed.</summary>
    public Ipv4Prefix? Suggestion { get; }
}
