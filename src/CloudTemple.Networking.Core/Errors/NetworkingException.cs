namespace CloudTemple.Networking;

/// <summary>
/// The base type of every domain exception thrown by the CloudTemple.Networking libraries
/// (an overlapping carve, an exhausted pool, a duplicate route, ...).
/// </summary>
/// <remarks>
/// Catch this type to handle any domain error of the libraries in one place. API misuse
/// (a null argument, an out-of-range length) throws the closest <see cref="ArgumentException"/>
/// instead. Derived exceptions carry the objects involved as properties, so that a caller
/// can react without parsing the message.
/// </remarks>
public class NetworkingException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public NetworkingException()
        : base("A networking operation failed.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What went wrong, naming the objects involved.</param>
    public NetworkingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">What went wrong, naming the objects involved.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public NetworkingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
