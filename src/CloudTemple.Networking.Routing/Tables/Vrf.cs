using System.Collections.Immutable;

namespace CloudTemple.Networking.Routing;

/// <summary>
/// The routing domain of one VPC (a VRF): its route tables, one of them the main table, and
/// which table each private network uses. Different VPCs may hold overlapping prefixes.
/// </summary>
/// <remarks>
/// Thread-safe: <see cref="TableFor"/> and <see cref="Tables"/> read an immutable snapshot
/// without locking; changes serialize on an internal lock.
/// </remarks>
public sealed class Vrf
{
    /// <summary>The name of the table every VRF starts with, used by networks without an attached table.</summary>
    public const string MainTableName = "main";

    private readonly Lock _gate = new();
    private readonly VpcRoutingOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly RoutingDiagnostics _diagnostics;
    private ImmutableDictionary<string, RouteTable> _tables;
    private ImmutableDictionary<string, RouteTable> _attachments = ImmutableDictionary.Create<string, RouteTable>(StringComparer.Ordinal);

    /// <summary>Creates the VRF of a VPC with an empty main table.</summary>
    /// <param name="vpcId">The VPC's identifier.</param>
    /// <param name="options">Options of its tables; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of its tables; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public Vrf(string vpcId, VpcRoutingOptions? options = null, TimeProvider? timeProvider = null)
        : this(vpcId, options, timeProvider, RoutingDiagnostics.Default)
    {
    }

    internal Vrf(string vpcId, VpcRoutingOptions? options, TimeProvider? timeProvider, RoutingDiagnostics diagnostics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vpcId);
        VpcId = vpcId;
        _options = options ?? new VpcRoutingOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _diagnostics = diagnostics;
        MainTable = new RouteTable(MainTableName, _options, _timeProvider, diagnostics);
        _tables = ImmutableDictionary.Create<string, RouteTable>(StringComparer.Ordinal).Add(MainTableName, MainTable);
    }

    /// <summary>The VPC's identifier.</summary>
    public string VpcId { get; }

    /// <summary>The main table.</summary>
    public RouteTable MainTable { get; }

    /// <summary>All tables of the VPC, the main one included.</summary>
    public IReadOnlyCollection<RouteTable> Tables => [.. _tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>Creates an empty table.</summary>
    /// <param name="name">A name not yet used in this VPC.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException">The name is taken.</exception>
    public RouteTable CreateTable(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            if (_tables.ContainsKey(name))
            {
                throw new ArgumentException($"VPC '{VpcId}' already has a route table named '{name}'.", nameof(name));
            }

            var table = new RouteTable(name, _options, _timeProvider, _diagnostics);
            _tables = _tables.Add(name, table);
            RoutingLog.TableCreated(_diagnostics.Logger, name, VpcId);
            return table;
        }
    }

    /// <summary>The table of that name.</summary>
    /// <param name="name">The table's name.</param>
    /// <returns>The table.</returns>
    /// <exception cref="KeyNotFoundException">No such table.</exception>
    public RouteTable GetTable(string name) =>
        _tables.TryGetValue(name, out var table)
            ? table
            : throw new KeyNotFoundException($"VPC '{VpcId}' has no route table named '{name}'.");

    /// <summary>Removes a table that no network uses and completes its change feed.</summary>
    /// <param name="name">The table's name.</param>
    /// <returns>Whether the table existed.</returns>
    /// <exception cref="InvalidOperationException">The table is the main table or is attached to a network.</exception>
    public bool RemoveTable(string name)
    {
        lock (_gate)
        {
            if (!_tables.TryGetValue(name, out var table))
            {
                return false;
            }

            if (table == MainTable)
            {
                throw new InvalidOperationException("The main route table cannot be removed.");
            }

            var user = _attachments.FirstOrDefault(a => a.Value == table).Key;
            if (user is not null)
            {
                throw new InvalidOperationException($"Route table '{name}' is attached to private network '{user}'; detach it first.");
            }

            _tables = _tables.Remove(name);
            table.Close();
            RoutingLog.TableRemoved(_diagnostics.Logger, name, VpcId);
            return true;
        }
    }

    /// <summary>Makes a private network use a table (replacing its previous attachment).</summary>
    /// <param name="privateNetwork">The private network's name.</param>
    /// <param name="tableName">The table's name.</param>
    /// <exception cref="KeyNotFoundException">No such table.</exception>
    public void Attach(string privateNetwork, string tableName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(privateNetwork);
        lock (_gate)
        {
            _attachments = _attachments.SetItem(privateNetwork, GetTable(tableName));
        }
    }

    /// <summary>Makes a private network use the main table again.</summary>
    /// <param name="privateNetwork">The private network's name.</param>
    /// <returns>Whether it had a table attached.</returns>
    public bool Detach(string privateNetwork)
    {
        lock (_gate)
        {
            var before = _attachments;
            _attachments = _attachments.Remove(privateNetwork);
            return before.Count != _attachments.Count;
        }
    }

    /// <summary>Completes the change feeds of all tables: the VRF was removed.</summary>
    internal void Close()
    {
        foreach (var table in _tables.Values)
        {
            table.Close();
        }
    }

    /// <summary>The table that routes packets coming from a private network: its attached table, or the main table.</summary>
    /// <param name="privateNetwork">The private network's name.</param>
    /// <returns>The table.</returns>
    public RouteTable TableFor(string privateNetwork) =>
        _attachments.TryGetValue(privateNetwork, out var table) ? table : MainTable;
}
