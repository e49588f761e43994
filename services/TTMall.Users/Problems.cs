using TTMall.ServiceDefaults.Validation;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TTMall.Users;

/// <summary>The service's RFC 9457 answers other than bad input (that is <see cref="FieldErrors"/>).</summary>
public static class Problems
{
    public static ProblemHttpResult WrongConfirmation() => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Confirmation failed",
        detail: "The e-mail or the code is wrong, or the code has expired; sign up again for a new code.");

    /// <summary>
    /// The one answer for an unknown e-mail, a wrong password, and a client shut out of an e-mail after too many wrong
    /// passwords: none of them is told apart from the others.
    /// </summary>
    public static ProblemHttpResult WrongCredentials() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Sign-in failed",
        detail: "The e-mail or the password is wrong.");

    public static ProblemHttpResult TooManyAttempts(HttpContext http, TimeSpan retryAfter)
    {
        SetRetryAfter(http, retryAfter);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many attempts",
            detail: "Wait before trying again; the Retry-After header says how long.");
    }

    public static ProblemHttpResult InvalidRefreshToken() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Session ended",
        detail: "The refresh token is unknown, expired or revoked; sign in again.");

    /// <summary>A correctly signed token for an account this database does not have.</summary>
    public static ProblemHttpResult UnknownAccount() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Unknown account",
        detail: "The access token names no account here; sign in again.");

    public static ProblemHttpResult TooManyAddresses(int limit) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Address book full",
        detail: $"An account keeps at most {limit} addresses; delete one first.");

    public static ProblemHttpResult DefaultAddressRequired() => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "A default address is required",
        detail: "This is the default address; make another address the default instead.");

    private static void SetRetryAfter(HttpContext http, TimeSpan wait) =>
        http.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
