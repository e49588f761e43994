using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TTMall.Carts;

namespace TTMall.Testing.Shop;

/// <summary>The carts API as a shopper's client calls it.</summary>
public static class CartHttp
{
    public const string Cart = "/api/carts/me";
    public const string Items = "/api/carts/me/items";

    public static Task<HttpResponseMessage> AddAsync(this HttpClient http, int productId, int quantity) =>
        http.PostAsJsonAsync(Items, new { productId, quantity });

    public static Task<HttpResponseMessage> SetAsync(this HttpClient http, int productId, int quantity) =>
        http.PutAsJsonAsync($"{Items}/{productId}", new { quantity });

    public static Task<HttpResponseMessage> RemoveAsync(this HttpClient http, int productId) => http.DeleteAsync($"{Items}/{productId}");

    public static Task<HttpResponseMessage> ClearAsync(this HttpClient http) => http.DeleteAsync(Cart);

    /// <summary>Adds and expects it to work; returns the line.</summary>
    public static async Task<CartLine> AddOkAsync(this HttpClient http, int productId, int quantity)
    {
        using var response = await http.AddAsync(productId, quantity);
        return await OkAsync<CartLine>(response);
    }

    public static async Task<Cart> GetCartAsync(this HttpClient http)
    {
        using var response = await http.GetAsync(Cart);
        return await OkAsync<Cart>(response);
    }

    /// <summary>The cart as the JSON on the wire (to see how numbers are written).</summary>
    public static async Task<JsonElement> GetCartJsonAsync(this HttpClient http)
    {
        using var response = await http.GetAsync(Cart);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static async Task<T> OkAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!;
    }

    public static CartLine Line(this Cart cart, int productId) => Assert.Single(cart.Lines, l => l.ProductId == productId);
}
