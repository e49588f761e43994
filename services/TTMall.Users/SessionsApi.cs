using TTMall.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using TTMall.ServiceDefaults.Security;

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
            .WithDescription("Returns a short-lived access token (a JWT every service accepts) and a refresh token; the session lasts at most Users:SessionLifetime (30 days) however often it is refreshed. "
                + "Attempts are rate-limited per client address, and per client address and e-mail (429 with Retry-After). "
                + "After repeated wrong passwords from one client address for one e-mail, that address gets 401 for that e-mail for a while, "
                + "whatever the password; nobody else is affected.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
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
        app.MapDelete("/api/users/me/sessions", SignOutEverywhereAsync)
            .WithTags("Sessions")
            .RequireAuthorization()
            .WithName("SignOutEverywhere")
            .WithSummary("Sign out everywhere: end every session of the signed-in user")
            .WithDescription("Every refresh token of the user stops working. Access tokens already issued run out on their own.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Results<Ok<SessionTokens>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, Credentials credentials, Sessions sessions, SignInThrottle throttle,
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
        else
        {
            errors.Characters("password", password);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var client = http.Connection.RemoteIpAddress;
        var normalized = UserRules.NormalizeEmail(email);
        if (await throttle.AttemptAsync(client, normalized, cancellationToken) is { } retryAfter)
        {
            return Problems.TooManyAttempts(http, retryAfter);
        }

        // A shut-out client's password is still checked, and then ignored: its answer takes as long as any other's.
        var shutOut = await throttle.ShutOutAsync(client, normalized, cancellationToken);
        var check = await credentials.CheckAsync(email, password, cancellationToken);
        if (shutOut)
        {
            return Problems.WrongCredentials();
        }

        if (check is SignInCheck.Success success)
        {
            await throttle.SignedInAsync(client, normalized, cancellationToken);
            return TypedResults.Ok(await sessions.StartAsync(success.User, cancellationToken));
        }

        await throttle.WrongPasswordAsync(client, normalized, cancellationToken);
        return Problems.WrongCredentials();
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

    public static async Task<Results<NoContent, ProblemHttpResult>> SignOutEverywhereAsync(
        ClaimsPrincipal principal, Sessions sessions, CancellationToken cancellationToken)
    {
        if (principal.MallUser() is not { } me)
        {
            return Problems.UnknownAccount();
        }

        await sessions.EndAllAsync(me.Id, cancellationToken);
        return TypedResults.NoContent();
    }
}
