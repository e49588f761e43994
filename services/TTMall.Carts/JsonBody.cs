using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace TTMall.Carts;

/// <summary>
/// Reads a small JSON request body. Binding the body through the framework answers malformed JSON with a bare 400
/// (or an exception page in Development); this says which field was wrong, as problem details.
/// </summary>
internal static class JsonBody
{
    private const long MaxBytes = 4 * 1024;

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Send JSON",
                detail: "The body must be JSON, sent with Content-Type: application/json."));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return (null, Invalid("body", "The body is not valid JSON."));
        }
        catch (BadHttpRequestException e)
        {
            return (null, TypedResults.Problem(statusCode: e.StatusCode, title: "The body could not be read", detail: e.Message));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, Invalid("body", "The body must be a JSON object."));
            }

            var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            try
            {
                return (document.Deserialize<T>(options), null);
            }
            catch (JsonException e)
            {
                // "$.quantity": the field whose value is not of its type (a fraction, a number too large, an object...).
                var field = e.Path is ['$', '.', .. var name] && name.Length > 0 ? name : "body";
                return (null, Invalid(field, $"{field} is not a valid value of its type."));
            }
        }
    }

    private static ProblemHttpResult Invalid(string field, string error) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [error] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
        });
}
