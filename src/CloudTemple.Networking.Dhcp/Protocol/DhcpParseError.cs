namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>Why <see cref="DhcpMessageReader.TryParse"/> refused a buffer.</summary>
public enum DhcpParseError
{
    /// <summary>The buffer was accepted.</summary>
    None = 0,

    /// <summary>Shorter than the 236-byte fixed header and the 4-byte magic cookie.</summary>
    Truncated,

    /// <summary>The <c>op</c> field is neither BOOTREQUEST (1) nor BOOTREPLY (2).</summary>
    BadOpCode,

    /// <summary>The <c>hlen</c> field is larger than the 16-byte <c>chaddr</c> field.</summary>
    BadHardwareAddressLength,

    /// <summary>The four bytes after the fixed header are not 99.130.83.99.</summary>
    BadMagicCookie,

    /// <summary>An option's length runs past the end of the field that holds it.</summary>
    OptionTruncated,

    /// <summary>The option overload option (52) does not have length 1 and a value of 1, 2 or 3, or appears outside the options field.</summary>
    BadOptionOverload,
}
