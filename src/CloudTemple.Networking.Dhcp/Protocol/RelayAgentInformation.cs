namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>Reads the sub-options of the relay agent information option (82, RFC 3046): circuit id, remote id, ...</summary>
public static class RelayAgentInformation
{
    /// <summary>The agent circuit id sub-option (the port the request came in on).</summary>
    public const byte CircuitId = 1;

    /// <summary>The agent remote id sub-option (the remote end of the circuit).</summary>
    public const byte RemoteId = 2;

    /// <summary>Finds a sub-option in option 82's value.</summary>
    /// <param name="value">The option's value.</param>
    /// <param name="subOption">The sub-option code, such as <see cref="CircuitId"/>.</param>
    /// <param name="subOptionValue">Its value when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the sub-option is present and the sub-options up to it are well-formed.</returns>
    public static bool TryGetSubOption(ReadOnlySpan<byte> value, byte subOption, out ReadOnlySpan<byte> subOptionValue)
    {
        int i = 0;
        while (i + 2 <= value.Length)
        {
            int length = value[i + 1];
            if (i + 2 + length > value.Length)
            {
                break;
            }

            if (value[i] == subOption)
            {
                subOptionValue = value.Slice(i + 2, length);
                return true;
            }

            i += 2 + length;
        }

        subOptionValue = default;
        return false;
    }
}
