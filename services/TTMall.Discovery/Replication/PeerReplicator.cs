using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using TTMall.Discovery.Registry;
using TTMall.Eureka;

namespace TTMall.Discovery.Replication;

/// <summary>
/// Forwards what clients do here to every peer, batched (up to <see cref="MaxBatch"/> items a request), marked
/// with <c>x-netflix-discovery-replication: true</c> so the peer never forwards it again. A peer that answers a
/// heartbeat with 404 lacks the instance: it gets a register. A peer that answers 409 holds a newer copy: we
/// take it. A peer that does not answer, answers 5xx or asks for a pause (429) gets the same operations again after a
/// back-off (250 ms doubling to 10 s); one that refuses a batch as a whole (4xx) loses it, and gets the next after the
/// same back-off. Meanwhile at most MaxReplicationQueue operations wait for it, the oldest
/// dropped first (it copies the whole registry when it starts again, and heartbeats repair anything else). Whatever a
/// peer does, nothing here ends the process.
/// A peer that is away (starting after this one, stopping before it) is expected and only noted: a warning comes once
/// it has taken nothing for PeerAbsenceWarningSeconds, or at once when it refuses what it is sent (the peers disagree).
/// </summary>
public sealed class PeerReplicator(
    IOptions<DiscoveryOptions> options,
    PeerClient peers,
    InstanceRegistry registry,
    TimeProvider time,
    ILogger<PeerReplicator> logger) : BackgroundService
{
    public const string ReplicationHeader = "x-netflix-discovery-replication";
    private const int MaxBatch = 500;
    private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(10);

    private readonly Dictionary<Uri, Channel<ReplicationItem>> _queues = options.Value.Peers.ToDictionary(
        peer => peer,
        _ => Channel.CreateBounded<ReplicationItem>(new BoundedChannelOptions(Math.Max(MaxBatch, options.Value.MaxReplicationQueue))
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }));

    public void Enqueue(ReplicationItem item)
    {
        foreach (var queue in _queues.Values)
        {
            queue.Writer.TryWrite(item);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_queues.Select(q => ForwardAsync(q.Key, q.Value.Reader, stoppingToken)));

    private async Task ForwardAsync(Uri peer, ChannelReader<ReplicationItem> queue, CancellationToken ct)
    {
        var pending = new List<ReplicationItem>(MaxBatch);
        var failures = 0;
        DateTimeOffset? failingSince = null;
        var warned = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (pending.Count == 0 && !await queue.WaitToReadAsync(ct))
                {
                    return;
                }

                while (pending.Count < MaxBatch && queue.TryRead(out var item))
                {
                    pending.Add(item);
                }

                var sent = pending.Count;
                var outcome = await SendAsync(peer, pending, ct);
                pending = outcome.Again;
                if (outcome.Reason is null)
                {
                    if (failures > 0)
                    {
                        logger.LogInformation("Peer {Peer} takes replication again after {Failures} refused or failed attempts.", peer, failures);
                    }

                    (failures, failingSince, warned) = (0, null, false);
                }
                else
                {
                    failures++;
                    var now = time.GetUtcNow();
                    failingSince ??= now;
                    warned |= Report(peer, outcome, sent, pending.Count, failures, now - failingSince.Value, warned);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Nothing expected ends up here; the batch that caused it must not block the queue behind it.
                failures++;
                failingSince ??= time.GetUtcNow();
                logger.LogError(e, "Replicating {Count} operations to {Peer} failed; they are dropped.", pending.Count, peer);
                pending = [];
            }

            if (failures > 0)
            {
                try
                {
                    await Task.Delay(BackOff(failures), time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Logs a batch the peer did not take, once an episode: as information while the peer may just be starting or
    /// stopping, as a warning when it refused the batch or has been away for PeerAbsenceWarningSeconds. Returns whether it warned.
    /// </summary>
    private bool Report(Uri peer, Outcome outcome, int sent, int again, int failures, TimeSpan away, bool warned)
    {
        if (warned)
        {
            return false;
        }

        if (outcome.Refused)
        {
            logger.LogWarning("Peer {Peer} did not take {Count} replicated operations ({Reason}); {Again} will be sent again, after a back-off.",
                peer, sent, outcome.Reason, again);
            return true;
        }

        if (away >= TimeSpan.FromSeconds(options.Value.PeerAbsenceWarningSeconds))
        {
            logger.LogWarning("Peer {Peer} did not take replication for {Seconds:0} s ({Reason}); {Again} operations wait for it, sent again after each back-off.",
                peer, away.TotalSeconds, outcome.Reason, again);
            return true;
        }

        if (failures == 1)
        {
            logger.LogInformation("Peer {Peer} does not take replication yet ({Reason}); {Again} operations wait for it.", peer, outcome.Reason, again);
        }

        return false;
    }

    private static TimeSpan BackOff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(LongestBackOff.TotalMilliseconds, FirstBackOff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 10))));

    /// <summary>
    /// What became of a batch: the operations to send again, why when the peer did not take everything, and whether it
    /// refused (answered, and will answer the same again) rather than was away or busy.
    /// </summary>
    private sealed record Outcome(List<ReplicationItem> Again, string? Reason, bool Refused = false);

    private async Task<Outcome> SendAsync(Uri peer, List<ReplicationItem> batch, CancellationToken ct)
    {
        var body = ReplicationJson.WriteBatch(batch);
        // The peer refuses a body beyond its MaxRequestBodyBytes (413) and the whole batch would be lost: halve until it fits.
        if (body.Length > options.Value.MaxRequestBodyBytes && batch.Count > 1)
        {
            var half = batch.Count / 2;
            var first = await SendAsync(peer, batch.GetRange(0, half), ct);
            var second = await SendAsync(peer, batch.GetRange(half, batch.Count - half), ct);
            return new([.. first.Again, .. second.Again], first.Reason ?? second.Reason, first.Refused || second.Refused);
        }

        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(peer, "peerreplication/batch/"))
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            request.Headers.Add(ReplicationHeader, "true");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            response = await peers.Http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return new(batch, e.Message);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 500 || status == 429)
            {
                return new(batch, $"answered {status}");
            }

            if (!response.IsSuccessStatusCode)
            {
                // The peer refuses the batch as a whole (malformed to it, too large, not accepted from us): sending it
                // again would be refused again, so it is dropped; the back-off keeps the next ones from hammering it.
                return new([], $"it refused the batch with {status}", Refused: true);
            }

            IReadOnlyList<ReplicationResult> results;
            try
            {
                using var document = await EurekaJson.ParseAsync(response.Content, ct);
                results = ReplicationJson.ReadResults(document.RootElement);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                logger.LogWarning("Peer {Peer} took a batch of {Count} but its answer could not be read ({Reason}).", peer, batch.Count, e.Message);
                return new([], null);
            }

            return Reconcile(peer, batch, results);
        }
    }

    private Outcome Reconcile(Uri peer, List<ReplicationItem> batch, IReadOnlyList<ReplicationResult> results)
    {
        var again = new List<ReplicationItem>();
        var slowDown = false;
        var refused = new Dictionary<int, int>();
        for (var i = 0; i < Math.Min(results.Count, batch.Count); i++)
        {
            var (sent, result) = (batch[i], results[i]);
            switch (result.StatusCode)
            {
                case 404 when sent.Action == ReplicationAction.Heartbeat && registry.Instance(sent.AppName, sent.Id) is { } ours:
                    again.Add(ReplicationItem.From(ReplicationAction.Register, ours));
                    break;
                case 409 when sent.Action == ReplicationAction.Heartbeat && result.Entity is { } newer:
                    if (registry.Register(newer) is { Outcome: not RegisterOutcome.Registered } refusal)
                    {
                        logger.LogWarning("Peer {Peer}'s newer copy of {App}/{Id} is not taken: {Reason}", peer, sent.AppName, sent.Id, refusal.Reason);
                    }

                    break;
                case 429:
                    slowDown = true;
                    // Sent again as it is now, not as it was: it may have changed meanwhile (and the newer state may
                    // already be on its way, so the old one arriving after it would undo it), or gone.
                    if (sent.Action is ReplicationAction.Register or ReplicationAction.Heartbeat)
                    {
                        if (registry.Instance(sent.AppName, sent.Id) is { } current)
                        {
                            again.Add(ReplicationItem.From(sent.Action, current));
                        }
                    }
                    else
                    {
                        again.Add(sent);
                    }

                    break;
                case 400 or 403 or 413 or 507:
                    refused[result.StatusCode] = refused.GetValueOrDefault(result.StatusCode) + 1;
                    break;
            }
        }

        if (refused.Count > 0)
        {
            // The peers' rules or bounds differ (another version or configuration): the registries will disagree on these.
            logger.LogWarning("Peer {Peer} refused {Refused} of {Count} replicated operations.", peer,
                string.Join(", ", refused.Select(r => $"{r.Value} with {r.Key}")), batch.Count);
        }

        return new(again, slowDown ? "it asked to slow down (429)" : null);
    }
}
