using System.Diagnostics;

namespace CloudTemple.Networking.Testing;

/// <summary>
/// Records the spans of one <see cref="ActivitySource"/> started under this recorder's own root
/// activity (the test's trace), so that spans of tests running in parallel are not mixed in. Create
/// it before the code under test runs on the same async flow; <see cref="Activities"/> lists the
/// stopped spans in the order they ended.
/// </summary>
public sealed class ActivityRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly Activity _root;
    private readonly List<Activity> _stopped = [];

    /// <summary>Starts listening to <paramref name="sourceName"/> and makes a root activity current.</summary>
    /// <param name="sourceName">The ActivitySource's name.</param>
    public ActivityRecorder(string sourceName)
    {
        _root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C);
        _root.Start();
        var trace = _root.TraceId;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent.TraceId == trace ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                lock (_stopped)
                {
                    _stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans recorded so far, in the order they stopped.</summary>
    public IReadOnlyList<Activity> Activities
    {
        get
        {
            lock (_stopped)
            {
                return [.. _stopped];
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _listener.Dispose();
        _root.Stop();
    }
}
