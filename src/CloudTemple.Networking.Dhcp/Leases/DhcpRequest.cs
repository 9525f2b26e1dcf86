using System.Buffers.Binary;
using CloudTemple.Networking.Dhcp.Protocol;

namespace CloudTemple.Networking.Dhcp;

// The fields of a request the engine needs after an await (a ref struct reader cannot cross one).
internal sealed class DhcpRequest
{
    private readonly ulong[] _requested = new ulong[4];

    public DhcpMessageType Type { get; private init; }

    public uint TransactionId { get; private init; }

    public ushort Flags { get; private init; }

    public byte HardwareType { get; private init; }

    public byte HardwareAddressLength { get; private init; }

    public UInt128 ClientHardwareAddress { get; private init; }

    public MacAddress? Mac { get; private init; }

    public Ipv4Address ClientAddress { get; private init; }

    public Ipv4Address GatewayAddress { get; private init; }

    public Ipv4Address? RequestedAddress { get; private init; }

    public Ipv4Address? ServerIdentifier { get; private init; }

    public byte[]? ClientIdentifier { get; private init; }

    public byte[]? RelayAgentInformation { get; private init; }

    public bool HasParameterRequestList { get; private init; }

    public string? HostName { get; private init; }

    public DhcpClientKey Key { get; private init; }

    public bool IsRequested(DhcpOptionCode code) => (_requested[(byte)code >> 6] & (1UL << ((byte)code & 63))) != 0;

    public static DhcpRequest From(in DhcpMessageReader message, DhcpClientIdentification identification)
    {
        byte[]? clientId = message.TryGetOption(DhcpOptionCode.ClientIdentifier, out var id) && id.Length > 0 ? id.ToArray() : null;
        MacAddress? mac = message.TryGetMacAddress(out var m) ? m : null;
        var request = new DhcpRequest
        {
            Type = message.MessageType,
            TransactionId = message.TransactionId,
            Flags = message.Flags,
            HardwareType = message.HardwareType,
            HardwareAddressLength = message.HardwareAddressLength,
            ClientHardwareAddress = BinaryPrimitives.ReadUInt128BigEndian(message.Packet[28..]),
            Mac = mac,
            ClientAddress = message.ClientAddress,
            GatewayAddress = message.GatewayAddress,
            RequestedAddress = message.TryGetAddress(DhcpOptionCode.RequestedIPAddress, out var requested) ? requested : null,
            ServerIdentifier = message.TryGetAddress(DhcpOptionCode.ServerIdentifier, out var server) ? server : null,
            ClientIdentifier = clientId,
            RelayAgentInformation = message.TryGetOption(DhcpOptionCode.RelayAgentInformation, out var relay) ? relay.ToArray() : null,
            HasParameterRequestList = message.TryGetOption(DhcpOptionCode.ParameterRequestList, out var list),
            HostName = message.GetText(DhcpOptionCode.HostName),
            Key = clientId is not null && identification == DhcpClientIdentification.ClientIdentifierOrHardwareAddress
                ? DhcpClientKey.FromClientIdentifier(clientId)
                : DhcpClientKey.FromHardwareAddress(message.HardwareType, message.ClientHardwareAddress),
        };
        foreach (byte code in list)
        {
            request._requested[code >> 6] |= 1UL << (code & 63);
        }

        return request;
    }
}
