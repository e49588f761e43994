using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using TTMall.Discovery.Registry;

namespace TTMall.Discovery.Replication;

/// <summary>
/// Forwards what clients do here to every peer, batched (up to <see cref="MaxBatch"/> items a request), marked
/// with <c>x-netflix-discovery-replication: true</c> so the peer never forwards it again. A peer that answers a
/// heartbeat with 404 lacks the instance: it gets a register. A peer that answers 409 holds a newer copy: we
/// take it. A peer that does not answer loses the batch; it copies the whole registry when it starts again,
/// and heartbeats repair anything else within one interval.
/// </summary>
public sealed class PeerReplicator(
    IOptions<DiscoveryOptions> options,
    IHttpClientFactory httpClients,
    InstanceRegistry registry,
    ILogger<PeerReplicator> logger) : BackgroundService
{
    public const string ReplicationHeader = "x-netflix-discovery-replication";
    public const string HttpClientName = "discovery-peers";
    private const int MaxBatch = 500;

    private readonly Dictionary<Uri, Channel<ReplicationItem>> _queues = options.Value.Peers.ToDictionary(
        peer => peer,
        _ => Channel.CreateBounded<ReplicationItem>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }));

    public void Enqueue(ReplicationItem item)
    {
        foreach (var queue in _queues.Values)
        {
            queue.Writer.TryWrite(item);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_queues.Select(q => ForwardAsync(q.Key, q.Value.Reader, stoppingToken)));

    private async Task ForwardAsync(Uri peer, ChannelReader<ReplicationItem> queue, CancellationToken stoppingToken)
    {
        var http = httpClients.CreateClient(HttpClientName);
        var batch = new List<ReplicationItem>(MaxBatch);
        try
        {
            while (await queue.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await SendAsync(http, peer, batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(HttpClient http, Uri peer, List<ReplicationItem> batch, CancellationToken ct)
    {
        var body = ReplicationJson.WriteBatch(batch);
        // The peer refuses a body beyond its MaxRequestBodyBytes (413) and the whole batch would be lost: halve until it fits.
        if (body.Length > options.Value.MaxRequestBodyBytes && batch.Count > 1)
        {
            var half = batch.Count / 2;
            await SendAsync(http, peer, batch.GetRange(0, half), ct);
            await SendAsync(http, peer, batch.GetRange(half, batch.Count - half), ct);
            return;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(peer, "peerreplication/batch/"))
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            request.Headers.Add(ReplicationHeader, "true");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Peer {Peer} refused a batch of {Count}: {Status}", peer, batch.Count, (int)response.StatusCode);
                return;
            }

            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var results = ReplicationJson.ReadResults(document.RootElement);
            for (var i = 0; i < Math.Min(results.Count, batch.Count); i++)
            {
                Reconcile(batch[i], results[i]);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            logger.LogDebug("Peer {Peer} is not answering; {Count} replicated operations dropped ({Reason})", peer, batch.Count, e.Message);
        }
    }

    private void Reconcile(ReplicationItem sent, ReplicationResult result)
    {
        if (sent.Action == ReplicationAction.Heartbeat && result.StatusCode == 404 && registry.Instance(sent.AppName, sent.Id) is { } ours)
        {
            Enqueue(ReplicationItem.From(ReplicationAction.Register, ours));
        }
        else if (sent.Action == ReplicationAction.Heartbeat && result.StatusCode == 409 && result.Entity is { } newer)
        {
            registry.Register(newer);
        }
    }
}
