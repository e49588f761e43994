using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;

namespace TTMall.Carts;

/// <summary>
/// Products read over HTTP from the products service (<c>GET http://products/api/products/{id}</c>, found through
/// discovery). Cart reads reuse a product for <see cref="CartsOptions.ProductSnapshotLifetime"/>, and concurrent
/// reads of one product share one request; writes read it afresh, since they check stock.
/// </summary>
public sealed class ProductCatalog(
    IHttpClientFactory clients, TimeProvider time, IOptionsMonitor<CartsOptions> options, ILogger<ProductCatalog> logger)
{
    public const string HttpClientName = "products";
    public static readonly Uri BaseAddress = new("http://products");

    /// <summary>Beyond this many cached products, expired ones are swept out when another is added.</summary>
    private const int SweepAbove = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<int, Snapshot> _snapshots = new();

    // Bumped by Forget. A fresh read that started before a product changed must not put what it read back after
    // the change's event forgot it: it compares the generation from before its request with the one after. Striped,
    // not per id: two products sharing a stripe only cost each other a snapshot.
    private readonly long[] _generations = new long[1024];

    /// <returns>null when there is no such product.</returns>
    /// <exception cref="ProductsUnavailableException"/>
    public Task<ProductSnapshot?> GetAsync(int id, CancellationToken cancellationToken)
    {
        if (options.CurrentValue.ProductSnapshotLifetime <= TimeSpan.Zero)
        {
            return FetchAsync(id, cancellationToken);
        }

        var snapshot = _snapshots.AddOrUpdate(id, NewSnapshot, (key, existing) => IsUsable(existing) ? existing : NewSnapshot(key));
        // The shared request is not cancelled with one caller's request: others may be waiting for it.
        return snapshot.Lookup.Value.WaitAsync(cancellationToken);
    }

    /// <summary>The product as it is now, bypassing the snapshots (and refreshing them).</summary>
    /// <exception cref="ProductsUnavailableException"/>
    public async Task<ProductSnapshot?> GetFreshAsync(int id, CancellationToken cancellationToken)
    {
        var generation = Volatile.Read(ref Generation(id));
        var product = await FetchAsync(id, cancellationToken);
        if (options.CurrentValue.ProductSnapshotLifetime > TimeSpan.Zero)
        {
            var known = Task.FromResult(product);
            var snapshot = new Snapshot(new Lazy<Task<ProductSnapshot?>>(() => known), time.GetTimestamp());
            _snapshots[id] = snapshot;
            if (Volatile.Read(ref Generation(id)) != generation)
            {
                _snapshots.TryRemove(new KeyValuePair<int, Snapshot>(id, snapshot));
            }
        }

        return product;
    }

    /// <summary>
    /// Drops this replica's snapshot of product <paramref name="id"/> (its price changed), so the next cart read asks
    /// the products service. A read already under way keeps what it gets; none puts an older answer back.
    /// </summary>
    public void Forget(int id)
    {
        Interlocked.Increment(ref Generation(id));
        _snapshots.TryRemove(id, out _);
    }

    private ref long Generation(int id) => ref _generations[(uint)id % (uint)_generations.Length];

    private Snapshot NewSnapshot(int id)
    {
        if (_snapshots.Count > SweepAbove)
        {
            foreach (var (key, old) in _snapshots)
            {
                if (!IsUsable(old))
                {
                    _snapshots.TryRemove(new KeyValuePair<int, Snapshot>(key, old));
                }
            }
        }

        return new Snapshot(new Lazy<Task<ProductSnapshot?>>(() => FetchAsync(id, CancellationToken.None)), time.GetTimestamp());
    }

    /// <summary>Fresh enough, and not a failed request (a failure is retried by the next reader, not remembered).</summary>
    private bool IsUsable(Snapshot snapshot) =>
        time.GetElapsedTime(snapshot.FetchedAt) < options.CurrentValue.ProductSnapshotLifetime
        && !(snapshot.Lookup.IsValueCreated && (snapshot.Lookup.Value.IsFaulted || snapshot.Lookup.Value.IsCanceled));

    private async Task<ProductSnapshot?> FetchAsync(int id, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(HttpClientName);
        ProductResponse? product;
        try
        {
            using var response = await http.GetAsync($"/api/products/{id}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable($"The products service answered {(int)response.StatusCode} for product {id}.");
            }

            product = await response.Content.ReadFromJsonAsync<ProductResponse>(Json, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or ExecutionRejectedException or TimeoutException
            or OperationCanceledException or JsonException or NotSupportedException
            // Service discovery found no instance of products.
            or InvalidOperationException)
        {
            throw Unavailable($"The products service did not answer for product {id}: {e.Message}", e);
        }

        return product is { Name: { } name, Price: { } price } && product.Id == id && price >= 0
            ? new ProductSnapshot(id, name, price, product.Stock, product.ImageUrl)
            : throw Unavailable($"The products service described product {id} without the id, name and price carts need.");
    }

    private ProductsUnavailableException Unavailable(string message, Exception? inner = null)
    {
        logger.LogWarning(inner, "{Message}", message);
        return new ProductsUnavailableException(message, inner);
    }

    private sealed record Snapshot(Lazy<Task<ProductSnapshot?>> Lookup, long FetchedAt);

    /// <summary>The part of the products service's answer carts use; anything else in it is ignored.</summary>
    private sealed record ProductResponse(int Id, string? Name, decimal? Price, int? Stock, string? ImageUrl);
}
