using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting;

/// <summary>
/// Tells, update by update, when a replica's process has ended without anyone asking it to: a crash, a kill, an exit
/// of its own. A stop asked for (the dashboard's Stop or Restart, the AppHost shutting down) passes through
/// Stopping first, and a crash never does: the orchestrator only learns of a crash once the process is gone.
/// </summary>
public sealed class ReplicaExits
{
    private static readonly IReadOnlySet<string> Ended = KnownResourceStates.TerminalStates.ToHashSet();

    private readonly Dictionary<string, string?> _state = [];
    private readonly HashSet<string> _askedToStop = [];

    /// <summary>The exit <paramref name="update"/> shows, once per exit; null when it shows none or a stop asked for.</summary>
    public ReplicaExit? Observe(ResourceEvent update)
    {
        // Databases and other resources without a process of their own take their state from their server,
        // which is reported in their place.
        if (update.Resource is not (ProjectResource or ExecutableResource or ContainerResource))
        {
            return null;
        }

        var id = update.ResourceId;
        var state = update.Snapshot.State?.Text;
        var before = _state.GetValueOrDefault(id);
        _state[id] = state;

        if (state == KnownResourceStates.Stopping)
        {
            _askedToStop.Add(id);
        }
        else if (state == KnownResourceStates.Starting || state == KnownResourceStates.Running)
        {
            _askedToStop.Remove(id);
        }

        // Health and property updates repeat the ended state; the exit is said once.
        if (state is null || !Ended.Contains(state) || (before is not null && Ended.Contains(before)) || _askedToStop.Contains(id))
        {
            return null;
        }

        return new ReplicaExit(update.Resource.Name, id, state, update.Snapshot.ExitCode);
    }
}
