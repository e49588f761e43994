using Aspire.Hosting.ApplicationModel;

namespace TTMall.Hosting;

/// <summary>A replica that stopped without being asked to: its resource, its id (the dashboard's name for it), how it ended.</summary>
public sealed record ReplicaExit(string Resource, string ReplicaId, string State, int? ExitCode)
{
    /// <summary>One line: which replica, its exit code, and where its console log is (when this run has a dashboard).</summary>
    public string Describe(Uri? dashboard)
    {
        var replica = ReplicaId == Resource ? Resource : $"{Resource} replica {ReplicaId}";
        var how = State == KnownResourceStates.FailedToStart
            ? "failed to start"
            : ExitCode is { } code ? $"exited with code {code}" : "exited (exit code unknown)";
        var log = dashboard is null
            ? "no dashboard in this run to show its console log"
            : $"console log: {DashboardLinks.ConsoleLogs(dashboard, ReplicaId)}";
        return $"{replica} {how}; {log}";
    }
}
