using System.Buffers;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudTemple.Networking.Dhcp;

/// <summary>
/// The DHCP server as an <see cref="IHostedService"/>: a UDP socket on port 67 bound to one interface
/// (SO_BINDTODEVICE, so that broadcasts from that interface only are received and replies leave through
/// it), several receive loops with pooled buffers feeding the <see cref="DhcpLeaseEngine"/>, and a timer
/// that reclaims expired leases.
/// </summary>
/// <remarks>
/// Needs Linux and CAP_NET_RAW (SO_BINDTODEVICE) and CAP_NET_BIND_SERVICE (port 67), in practice root.
/// Replies go where <see cref="DhcpProcessResult"/> says (RFC 2131 section 4.1). Errors of one request
/// (a failing store) are logged and do not stop the server. Thread-safe.
/// </remarks>
public sealed partial class DhcpServer : IHostedService, IDisposable
{
    private const int BufferSize = 2048;
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private const int SoReceiveBufferForce = 33;

    private readonly DhcpLeaseEngine _engine;
    private readonly DhcpServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<Task> _loops = [];
    private CancellationTokenSource? _stopping;
    private Socket? _socket;
    private int _receiveLoops;
    private Exception? _lastReceiveError;

    /// <summary>Creates the server (nothing is bound until <see cref="StartAsync"/>).</summary>
    /// <param name="engine">The lease engine.</param>
    /// <param name="options">The options: interface, ports, concurrency.</param>
    /// <param name="timeProvider">The clock of the reclaim timer.</param>
    /// <param name="logger">The logger, if any.</param>
    public DhcpServer(DhcpLeaseEngine engine, IOptions<DhcpServerOptions> options, TimeProvider timeProvider, ILogger<DhcpServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _engine = engine;
        _options = options.Value;
        _time = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The address of the interface, used to select the subnet of direct requests (known once started).</summary>
    public Ipv4Address LocalAddress { get; private set; }

    /// <summary>Binds the socket and starts the receive loops and the reclaim timer.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the server listens.</returns>
    /// <exception cref="InvalidOperationException">No interface is configured, or it has no IPv4 address.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        string name = _options.InterfaceName ?? throw new InvalidOperationException("DhcpServerOptions.InterfaceName is required.");
        LocalAddress = _options.InterfaceAddress ?? FindInterfaceAddress(name);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.EnableBroadcast = true;
            // Only this interface's traffic, and replies (broadcasts included) leave through it.
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(name + "\0"));
            SetReceiveBuffer(socket, _options.ReceiveBufferSize);
            socket.Bind(new IPEndPoint(IPAddress.Any, _options.ServerPort));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        // Counted before they run, so that a health check right after start sees them; each loop leaving subtracts itself.
        Volatile.Write(ref _receiveLoops, _options.ReceiveConcurrency);
        for (int i = 0; i < _options.ReceiveConcurrency; i++)
        {
            _loops.Add(Task.Run(() => ReceiveLoopAsync(socket, token), CancellationToken.None));
        }

        _loops.Add(Task.Run(() => ReclaimLoopAsync(token), CancellationToken.None));
        Log.Listening(_logger, name, LocalAddress, _options.ServerPort, _options.ReceiveConcurrency);
        return Task.CompletedTask;
    }

    /// <summary>Stops the loops and closes the socket.</summary>
    /// <param name="cancellationToken">Stops waiting for the loops.</param>
    /// <returns>A task that completes when the loops have ended.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var stopping = Interlocked.Exchange(ref _stopping, null);
        if (stopping is null)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _loops.Clear();
            stopping.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        var stopping = Interlocked.Exchange(ref _stopping, null);
        stopping?.Cancel();
        _socket?.Dispose();
        stopping?.Dispose();
    }

    // Read by DhcpServerHealthCheck: whether the socket is bound and every receive loop runs, and why not.
    internal (bool Listening, string Description) Probe()
    {
        var socket = Volatile.Read(ref _socket);
        if (Volatile.Read(ref _stopping) is null || socket is null)
        {
            return (false, $"The DHCP server is not listening: it is not started or has stopped (interface {_options.InterfaceName}, port {_options.ServerPort}).");
        }

        bool bound;
        try
        {
            bound = socket.IsBound && socket.LocalEndPoint is not null;
        }
        catch (ObjectDisposedException)
        {
            bound = false;
        }

        if (!bound)
        {
            return (false, $"The DHCP server's socket on {_options.InterfaceName} port {_options.ServerPort} is closed or not bound.");
        }

        int loops = Volatile.Read(ref _receiveLoops);
        if (loops < _options.ReceiveConcurrency)
        {
            return (false, $"The DHCP server on {_options.InterfaceName} port {_options.ServerPort} runs {loops} of its {_options.ReceiveConcurrency} receive loops.");
        }

        return Volatile.Read(ref _lastReceiveError) is { } error
            ? (false, $"The DHCP server on {_options.InterfaceName} port {_options.ServerPort} fails to receive: {error.Message}")
            : (true, $"The DHCP server listens on {_options.InterfaceName} ({LocalAddress}) port {_options.ServerPort} with {loops} receive loops.");
    }

    // A large buffer absorbs bursts (a rack booting) and pauses (JIT, GC) without drops. SO_RCVBUFFORCE passes
    // net.core.rmem_max when privileged; otherwise the kernel caps SO_RCVBUF.
    private static void SetReceiveBuffer(Socket socket, int bytes)
    {
        try
        {
            socket.SetRawSocketOption(SolSocket, SoReceiveBufferForce, BitConverter.GetBytes(bytes));
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = bytes;
        }
    }

    private static Ipv4Address FindInterfaceAddress(string name)
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name)
            ?? throw new InvalidOperationException($"Interface '{name}' does not exist.");
        var address = nic.GetIPProperties().UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException($"Interface '{name}' has no IPv4 address; give it one or set InterfaceAddress.");
        return Ipv4Address.FromIPAddress(address.Address);
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] request = ArrayPool<byte>.Shared.Rent(BufferSize);
        byte[] reply = ArrayPool<byte>.Shared.Rent(BufferSize);
        var context = new DhcpRequestContext(LocalAddress);
        EndPoint anyEndPoint = new IPEndPoint(IPAddress.Any, 0);
        var broadcast = new IPEndPoint(IPAddress.Broadcast, _options.ClientPort);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                int received;
                try
                {
                    received = (await socket.ReceiveFromAsync(request, SocketFlags.None, anyEndPoint, cancellationToken).ConfigureAwait(false)).ReceivedBytes;
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException e)
                {
                    Volatile.Write(ref _lastReceiveError, e);
                    Log.ReceiveFailed(_logger, e);
                    continue;
                }

                if (_lastReceiveError is not null)
                {
                    Volatile.Write(ref _lastReceiveError, null);
                }

                try
                {
                    var result = await _engine.ProcessAsync(request.AsMemory(0, received), reply, context, cancellationToken).ConfigureAwait(false);
                    if (result.HasReply)
                    {
                        var destination = result.Destination == Ipv4Address.Broadcast && result.DestinationPort == _options.ClientPort
                            ? broadcast
                            : new IPEndPoint(result.Destination.ToIPAddress(), result.DestinationPort);
                        await socket.SendToAsync(reply.AsMemory(0, result.Length), SocketFlags.None, destination, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // One failing request (store down, unreachable destination) must not stop the server.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Log.RequestFailed(_logger, e);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _receiveLoops);
            ArrayPool<byte>.Shared.Return(request);
            ArrayPool<byte>.Shared.Return(reply);
        }
    }

    private async Task ReclaimLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ReclaimInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await _engine.ReclaimExpiredAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // Reclamation retries at the next tick.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Log.ReclaimFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "DHCP server listening on {Interface} ({Address}) port {Port} with {Loops} receive loops")]
        public static partial void Listening(ILogger logger, string @interface, Ipv4Address address, int port, int loops);

        [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Receiving a DHCP message failed")]
        public static partial void ReceiveFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "Handling a DHCP message failed")]
        public static partial void RequestFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "Reclaiming expired leases failed")]
        public static partial void ReclaimFailed(ILogger logger, Exception exception);
    }
}
