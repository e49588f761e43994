using System.Net;
using System.Net.Http.Json;

namespace TTMall.Products.Tests;

/// <summary>Small helpers over the products API for tests.</summary>
internal static class TestApi
{
    public static async Task<ProductPage> SearchAsync(this HttpClient http, string query)
    {
        using var response = await http.GetAsync("/api/products?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/products?{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ProductPage>())!;
    }

    public static Task<ProductPage> FindAsync(this HttpClient http, string q, string more = "") =>
        http.SearchAsync($"q={Uri.EscapeDataString(q)}&pageSize=100{more}");

    /// <summary>The whole catalog in one page (it has fewer than 100 products).</summary>
    public static async Task<IReadOnlyList<ProductSummary>> AllAsync(this HttpClient http)
    {
        var page = await http.SearchAsync("pageSize=100");
        Assert.Equal(page.Total, page.Items.Count);
        return page.Items;
    }

    public static async Task<ProductDto> ProductAsync(this HttpClient http, int id) =>
        (await http.GetFromJsonAsync<ProductDto>($"/api/products/{id}"))!;

    public static async Task<int> IdOfAsync(this HttpClient http, string name) =>
        (await http.FindAsync(name)).Items.Single(p => p.Name == name).Id;

    public static bool Mentions(this ProductSummary product, string word) =>
        product.Name.Contains(word, StringComparison.OrdinalIgnoreCase) || product.Description.Contains(word, StringComparison.OrdinalIgnoreCase);
}
