namespace CloudTemple.Networking.Ipam;

/// <summary>The base type of the IPAM domain errors; catch it to handle any of them in one place.</summary>
/// <remarks>When an IPAM operation throws one of these, it has changed nothing.</remarks>
public abstract class IpamException : NetworkingException
{
    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What went wrong, naming the objects involved.</param>
    protected IpamException(string message)
        : base(message)
    {
    }
}
