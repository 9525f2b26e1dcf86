namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>Which header fields carry options (option 52, RFC 2132 section 9.3).</summary>
[Flags]
public enum DhcpOptionOverload : byte
{
    /// <summary>Only the options field carries options.</summary>
    None = 0,

    /// <summary>The <c>file</c> field carries options.</summary>
    File = 1,

    /// <summary>The <c>sname</c> field carries options.</summary>
    ServerName = 2,
}
