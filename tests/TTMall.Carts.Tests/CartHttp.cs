using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TTMall.Carts.Tests;

/// <summary>The carts API as a shopper's client calls it.</summary>
internal static class CartHttp
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

    /// <summary>Checks the status and that the body is RFC 9457 problem details; returns them.</summary>
    public static async Task<HttpValidationProblemDetails> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<HttpValidationProblemDetails>(body, JsonSerializerOptions.Web)!;
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrEmpty(problem.Title), body);
        return problem;
    }

    /// <summary>A 400 whose errors name exactly <paramref name="fields"/>.</summary>
    public static async Task<HttpValidationProblemDetails> FieldErrorsAsync(HttpResponseMessage response, params string[] fields)
    {
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(fields.Order(), problem.Errors.Keys.Order());
        Assert.All(problem.Errors.Values, messages => Assert.NotEmpty(messages));
        return problem;
    }

    /// <summary>A 409 with the machine-readable <c>code</c> given.</summary>
    public static async Task<HttpValidationProblemDetails> ConflictAsync(HttpResponseMessage response, string code)
    {
        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(code, problem.Extensions["code"]?.ToString());
        return problem;
    }

    public static int Extension(this HttpValidationProblemDetails problem, string name) =>
        ((JsonElement)problem.Extensions[name]!).GetInt32();

    public static CartLine Line(this Cart cart, int productId) => Assert.Single(cart.Lines, l => l.ProductId == productId);
}
