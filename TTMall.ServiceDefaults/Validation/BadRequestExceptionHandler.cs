using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace TTMall.ServiceDefaults.Validation;

/// <summary>
/// A request body the framework cannot bind (none, not JSON, or "rating": "five") is bad input like any other: 400 with
/// the field named, instead of the 500 an unhandled BadHttpRequestException becomes in Development. Binding
/// failures are thrown in every environment (ThrowOnBadRequest) so they all come through here and look the same.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        context.Response.StatusCode = badRequest.StatusCode;
        if (badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel stopped reading a body over the bound, and will close the connection rather than drain the rest:
            // said with the response, the client does not send its next request on it.
            context.Response.Headers.Connection = "close";
        }

        var problem = badRequest.StatusCode == StatusCodes.Status400BadRequest
            ? new HttpValidationProblemDetails(Errors(badRequest)) { Status = StatusCodes.Status400BadRequest }
            : new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = badRequest.StatusCode, Detail = badRequest.Message };
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static Dictionary<string, string[]> Errors(BadHttpRequestException badRequest)
    {
        // System.Text.Json says where it stopped: "$.rating" names the field; "$" or nothing is the body itself.
        if (badRequest.InnerException is JsonException json)
        {
            var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            return new() { [field] = [field == "body" ? "The body is not valid JSON." : $"{field} has the wrong type or is not valid JSON."] };
        }

        // No body, or "null", where one is required: the body itself is what is wrong.
        return new() { ["body"] = [badRequest.Message] };
    }
}
