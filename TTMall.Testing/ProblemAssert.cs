using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TTMall.Testing;

/// <summary>Checks of RFC 9457 problem details, as every service answers a request it does not carry out.</summary>
public static class ProblemAssert
{
    /// <summary>
    /// Problem details with <paramref name="status"/> (in the response and in the body) and a title; returns them, with
    /// per-field errors and extension values (each a <see cref="JsonElement"/>) for further checks.
    /// </summary>
    public static async Task<HttpValidationProblemDetails> StatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<HttpValidationProblemDetails>(body, JsonSerializerOptions.Web)!;
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrEmpty(problem.Title), body);
        return problem;
    }

    /// <summary>A 400 whose errors name exactly <paramref name="fields"/>, each with a message.</summary>
    public static async Task<HttpValidationProblemDetails> FieldErrorsAsync(HttpResponseMessage response, params string[] fields)
    {
        var problem = await StatusAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(fields.Order(), problem.Errors.Keys.Order());
        Assert.All(problem.Errors.Values, messages => Assert.NotEmpty(messages));
        return problem;
    }

    /// <summary>A 400 whose errors name <paramref name="field"/>, with a message, among any others.</summary>
    public static async Task<HttpValidationProblemDetails> FieldErrorAmongAsync(HttpResponseMessage response, string field)
    {
        var problem = await StatusAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.Errors.TryGetValue(field, out var messages), $"no error for '{field}' in {string.Join(", ", problem.Errors.Keys)}");
        Assert.NotEmpty(messages);
        return problem;
    }

    /// <summary>Problem details with <paramref name="status"/> and the machine-readable <c>code</c> given.</summary>
    public static async Task<HttpValidationProblemDetails> CodeAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var problem = await StatusAsync(response, status);
        Assert.Equal(code, problem.Extension<string>("code"));
        return problem;
    }

    /// <summary>The extension value <paramref name="name"/> (a member of the body beyond the standard ones), read as <typeparamref name="T"/>.</summary>
    public static T Extension<T>(this HttpValidationProblemDetails problem, string name)
    {
        Assert.True(problem.Extensions.TryGetValue(name, out var value), $"no '{name}' in the problem details");
        return value is JsonElement json ? json.Deserialize<T>(JsonSerializerOptions.Web)! : (T)value!;
    }
}
