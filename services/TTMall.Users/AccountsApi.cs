using TTMall.ServiceDefaults.Validation;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TTMall.ServiceDefaults.Security;
using TTMall.Users.Data;

namespace TTMall.Users;

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

public sealed record ConfirmationRequest(string? Email, string? Code);

/// <summary>The one answer to every well-formed sign-up, whether the address was free or taken.</summary>
public sealed record SignUpAccepted(string Message)
{
    public static readonly SignUpAccepted Instance = new(
        "Check your mail: it says how to go on. A new account is confirmed with the code it holds (POST /api/users/confirmation).");
}

public sealed record ProfileUpdate(string? DisplayName, string? Phone);

/// <summary>Registration, and the signed-in user's own profile.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Accounts");
        users.MapPost("/", RegisterAsync)
            .WithName("RegisterUser")
            .WithSummary("Sign up: ask for an account")
            .WithDescription("E-mail (plain ASCII, unique whatever its case), password (8 to 128 characters with a letter and a digit) and display name. "
                + "Always 202 for a well-formed request, whether or not the address is taken: a new address is mailed a code to confirm it with, "
                + "the owner of a taken one a notice. Limited per client address (429 with Retry-After).")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        users.MapPost("/confirmation", ConfirmAsync)
            .WithName("ConfirmUser")
            .WithSummary("Confirm a new account's e-mail with the mailed code")
            .WithDescription("The account can sign in from then on. A wrong e-mail, a wrong or expired code all get the same 400; a few wrong codes void the code (sign up again for a new one).")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        var me = users.MapGroup("/me").RequireAuthorization();
        me.MapGet("/", GetProfileAsync)
            .WithName("GetMyProfile")
            .WithSummary("The signed-in user's profile")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        me.MapPut("/", UpdateProfileAsync)
            .WithName("UpdateMyProfile")
            .WithSummary("Change the signed-in user's display name and phone")
            .WithDescription("Both fields are replaced; an empty or missing phone removes it. New access tokens carry the new name.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Results<Accepted<SignUpAccepted>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, SignUps signUps, RateLimits limits, IOptions<UsersOptions> options, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var email = errors.Email("email", request.Email);
        var password = errors.NewPassword("password", request.Password);
        var displayName = errors.DisplayName("displayName", request.DisplayName);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await TooManyFromClientAsync(limits, options.Value, http, cancellationToken) is { } refused)
        {
            return refused;
        }

        await signUps.SignUpAsync(email, password, displayName, cancellationToken);
        return TypedResults.Accepted((string?)null, SignUpAccepted.Instance);
    }

    public static async Task<Results<Ok<UserProfile>, ValidationProblem, ProblemHttpResult>> ConfirmAsync(
        ConfirmationRequest request, SignUps signUps, RateLimits limits, IOptions<UsersOptions> options, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var email = errors.Text("email", request.Email, UserRules.EmailMaxLength);
        var code = errors.Text("code", request.Code, 8);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await TooManyFromClientAsync(limits, options.Value, http, cancellationToken) is { } refused)
        {
            return refused;
        }

        return await signUps.ConfirmAsync(email, code, cancellationToken) is { } user
            ? TypedResults.Ok(UserProfile.From(user))
            : Problems.WrongConfirmation();
    }

    /// <summary>Sign-ups and confirmations share one count per client address.</summary>
    private static async Task<ProblemHttpResult?> TooManyFromClientAsync(RateLimits limits, UsersOptions o, HttpContext http, CancellationToken cancellationToken) =>
        await limits.CountAsync($"sign-up|{http.Connection.RemoteIpAddress}", o.SignUpsPerClient, o.SignUpWindow, cancellationToken) is { } retryAfter
            ? Problems.TooManyAttempts(http, retryAfter)
            : null;

    public static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> GetProfileAsync(
        ClaimsPrincipal principal, UsersDbContext db, CancellationToken cancellationToken) =>
        principal.MallUser() is { } me
        && await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == me.Id, cancellationToken) is { } user
            ? TypedResults.Ok(UserProfile.From(user))
            : Problems.UnknownAccount();

    public static async Task<Results<Ok<UserProfile>, ValidationProblem, ProblemHttpResult>> UpdateProfileAsync(
        ProfileUpdate update, ClaimsPrincipal principal, UsersDbContext db, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var displayName = errors.DisplayName("displayName", update.DisplayName);
        var phone = errors.Phone("phone", update.Phone, required: false);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (principal.MallUser() is not { } me || await db.Users.SingleOrDefaultAsync(u => u.Id == me.Id, cancellationToken) is not { } user)
        {
            return Problems.UnknownAccount();
        }

        user.DisplayName = displayName;
        user.Phone = phone.Length > 0 ? phone : null;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(UserProfile.From(user));
    }
}
