using TTMall.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace TTMall.Users;

public sealed record SignInRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>Signing in and out, and trading a refresh token for new tokens.</summary>
public static class SessionsApi
{
    /// <summary>Sign-in checks no password policy (it may have changed since registration), only a sane size.</summary>
    private const int SignInPasswordMaxLength = 1024;

    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/api/users/sessions").WithTags("Sessions");
        sessions.MapPost("/", SignInAsync)
            .WithName("SignIn")
            .WithSummary("Sign in with e-mail and password")
            .WithDescription("Returns a short-lived access token (a JWT every service accepts) and a refresh token. "
                + "Attempts are rate-limited per client and e-mail (429 with Retry-After); repeated wrong passwords lock the account for a while (403).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        sessions.MapPost("/refresh", RefreshAsync)
            .WithName("RefreshSession")
            .WithSummary("Trade a refresh token for new tokens")
            .WithDescription("The refresh token is used up; the response holds its successor. Presenting a used token again ends the whole session.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        sessions.MapDelete("/", SignOutAsync)
            .WithName("SignOut")
            .WithSummary("Sign out: end the session of the given refresh token")
            .WithDescription("Always 204 for a well-formed request, whether or not the token was still valid. Access tokens already issued run out on their own.");
        return app;
    }

    public static async Task<Results<Ok<SessionTokens>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, Credentials credentials, Sessions sessions, SignInThrottle throttle, TimeProvider time,
        HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var email = errors.Text("email", request.Email, UserRules.EmailMaxLength);
        var password = request.Password ?? "";
        if (password.Length == 0)
        {
            errors.Add("password", "password is required.");
        }
        else if (password.Length > SignInPasswordMaxLength)
        {
            errors.Add("password", $"password must be at most {SignInPasswordMaxLength} characters.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (throttle.Reject(http.Connection.RemoteIpAddress, UserRules.NormalizeEmail(email)) is { } retryAfter)
        {
            return Problems.TooManyAttempts(http, retryAfter);
        }

        return await credentials.CheckAsync(email, password, cancellationToken) switch
        {
            SignInCheck.Success success => TypedResults.Ok(await sessions.StartAsync(success.User, cancellationToken)),
            SignInCheck.Locked locked => Problems.AccountLocked(http, locked.Until, time.GetUtcNow()),
            _ => Problems.WrongCredentials(),
        };
    }

    public static async Task<Results<Ok<SessionTokens>, ValidationProblem, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, Sessions sessions, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var refreshToken = errors.Text("refreshToken", request.RefreshToken, Sessions.RefreshTokenMaxLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await sessions.RefreshAsync(refreshToken, cancellationToken) is { } tokens
            ? TypedResults.Ok(tokens)
            : Problems.InvalidRefreshToken();
    }

    public static async Task<Results<NoContent, ValidationProblem>> SignOutAsync(
        [FromBody] RefreshRequest request, Sessions sessions, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var refreshToken = errors.Text("refreshToken", request.RefreshToken, Sessions.RefreshTokenMaxLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await sessions.EndAsync(refreshToken, cancellationToken);
        return TypedResults.NoContent();
    }
}
