using TTMall.ServiceDefaults.Validation;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TTMall.ServiceDefaults.Security;
using TTMall.Users.Data;

namespace TTMall.Users;

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName);

public sealed record ProfileUpdate(string? DisplayName, string? Phone);

public sealed record UserProfile(Guid Id, string Email, string DisplayName, string? Phone, DateTimeOffset CreatedAt)
{
    public static UserProfile From(User user) => new(user.Id, user.Email, user.DisplayName, user.Phone, user.CreatedAt);
}

/// <summary>Registration, and the signed-in user's own profile.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Accounts");
        users.MapPost("/", RegisterAsync)
            .WithName("RegisterUser")
            .WithSummary("Create an account")
            .WithDescription("E-mail (unique whatever its case), password (8 to 128 characters with a letter and a digit) and display name. Sign in afterwards to get tokens.")
            .ProducesProblem(StatusCodes.Status409Conflict);

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

    public static async Task<Results<Created<UserProfile>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, UsersDbContext db, IPasswordHasher<User> hasher, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var email = errors.Email("email", request.Email);
        var password = errors.NewPassword("password", request.Password);
        var displayName = errors.DisplayName("displayName", request.DisplayName);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var normalized = UserRules.NormalizeEmail(email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
        {
            return Problems.EmailTaken();
        }

        var now = time.GetUtcNow();
        var user = new User
        {
            Id = Guid.CreateVersion7(now),
            Email = email,
            NormalizedEmail = normalized,
            DisplayName = displayName,
            PasswordHash = "",
            CreatedAt = now,
        };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two registrations of one address raced past the check above; the unique index let one through.
            return Problems.EmailTaken();
        }

        return TypedResults.Created("/api/users/me", UserProfile.From(user));
    }

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
