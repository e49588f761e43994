using TTMall.ServiceDefaults.Validation;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TTMall.Data;
using TTMall.ServiceDefaults.Security;
using TTMall.Users.Data;

namespace TTMall.Users;

/// <summary>An address as the client sends it. <see cref="IsDefault"/>: true makes it the default; omitted leaves that as it is.</summary>
public sealed record AddressInput(
    string? Recipient, string? Phone, string? Province, string? City, string? District, string? Line, string? PostalCode, bool? IsDefault = null);

public sealed record AddressDto(
    Guid Id, string Recipient, string Phone, string Province, string City, string District, string Line, string? PostalCode, bool IsDefault)
{
    public static AddressDto From(Address a) => new(a.Id, a.Recipient, a.Phone, a.Province, a.City, a.District, a.Line, a.PostalCode, a.IsDefault);
}

/// <summary>
/// The signed-in user's delivery addresses. Every query is scoped to the user in the access token, so another
/// user's address id answers 404 exactly like an id that does not exist. Changes run in a transaction holding
/// the user's row (see <see cref="UsersDbContextExtensions.LockUserAsync"/>).
/// </summary>
public static class AddressesApi
{
    public static IEndpointRouteBuilder MapAddressesApi(this IEndpointRouteBuilder app)
    {
        var addresses = app.MapGroup("/api/users/me/addresses").WithTags("Addresses").RequireAuthorization();
        addresses.MapGet("/", ListAsync)
            .WithName("ListMyAddresses")
            .WithSummary("The signed-in user's delivery addresses, the default first");
        addresses.MapGet("/{id:guid}", GetAsync)
            .WithName("GetMyAddress")
            .WithSummary("One of the signed-in user's addresses");
        addresses.MapPost("/", AddAsync)
            .WithName("AddMyAddress")
            .WithSummary("Add a delivery address")
            .WithDescription("The first address becomes the default, as does one sent with isDefault true. The number of addresses per user is bounded (409 when full).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict);
        addresses.MapPut("/{id:guid}", UpdateAsync)
            .WithName("UpdateMyAddress")
            .WithSummary("Replace a delivery address")
            .WithDescription("isDefault true makes it the default; false on the default address is refused (409): make another one the default instead.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict);
        addresses.MapPut("/{id:guid}/default", MakeDefaultAsync)
            .WithName("MakeMyAddressDefault")
            .WithSummary("Make an address the default")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        addresses.MapDelete("/{id:guid}", DeleteAsync)
            .WithName("DeleteMyAddress")
            .WithSummary("Delete a delivery address")
            .WithDescription("Deleting the default makes the oldest remaining address the default.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Results<Ok<List<AddressDto>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal principal, UsersDbContext db, CancellationToken cancellationToken)
    {
        if (principal.MallUser() is not { } me)
        {
            return Problems.UnknownAccount();
        }

        var addresses = await db.Addresses.AsNoTracking()
            .Where(a => a.UserId == me.Id)
            .OrderByDescending(a => a.IsDefault).ThenBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(addresses.Select(AddressDto.From).ToList());
    }

    public static async Task<Results<Ok<AddressDto>, NotFound>> GetAsync(
        Guid id, ClaimsPrincipal principal, UsersDbContext db, CancellationToken cancellationToken) =>
        principal.MallUser() is { } me
        && await db.Addresses.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.UserId == me.Id, cancellationToken) is { } address
            ? TypedResults.Ok(AddressDto.From(address))
            : TypedResults.NotFound();

    public static async Task<Results<Created<AddressDto>, ValidationProblem, ProblemHttpResult>> AddAsync(
        AddressInput input, ClaimsPrincipal principal, UsersDbContext db, IOptions<UsersOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var fields = AddressFields.Read(input, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var limit = options.Value.MaxAddressesPerUser;
        return await ChangeMyAddressesAsync<Results<Created<AddressDto>, ValidationProblem, ProblemHttpResult>>(principal, db, Problems.UnknownAccount(), async (userId, ct) =>
        {
            var count = await db.Addresses.CountAsync(a => a.UserId == userId, ct);
            if (count >= limit)
            {
                return Problems.TooManyAddresses(limit);
            }

            var isDefault = count == 0 || input.IsDefault == true;
            if (isDefault)
            {
                await ClearDefaultAsync(db, userId, except: null, ct);
            }

            var now = time.GetUtcNow();
            var address = new Address
            {
                Id = Guid.CreateVersion7(now),
                UserId = userId,
                Recipient = fields.Recipient,
                Phone = fields.Phone,
                Province = fields.Province,
                City = fields.City,
                District = fields.District,
                Line = fields.Line,
                PostalCode = fields.PostalCode,
                IsDefault = isDefault,
                CreatedAt = now,
            };
            db.Addresses.Add(address);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/users/me/addresses/{address.Id}", AddressDto.From(address));
        }, cancellationToken);
    }

    public static async Task<Results<Ok<AddressDto>, ValidationProblem, NotFound, ProblemHttpResult>> UpdateAsync(
        Guid id, AddressInput input, ClaimsPrincipal principal, UsersDbContext db, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var fields = AddressFields.Read(input, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await ChangeMyAddressAsync<Results<Ok<AddressDto>, ValidationProblem, NotFound, ProblemHttpResult>>(
            id, principal, db, Problems.UnknownAccount(), TypedResults.NotFound(), async (address, ct) =>
            {
                if (input.IsDefault == false && address.IsDefault)
                {
                    return Problems.DefaultAddressRequired();
                }

                if (input.IsDefault == true && !address.IsDefault)
                {
                    await ClearDefaultAsync(db, address.UserId, except: id, ct);
                    address.IsDefault = true;
                }

                fields.ApplyTo(address);
                await db.SaveChangesAsync(ct);
                return TypedResults.Ok(AddressDto.From(address));
            }, cancellationToken);
    }

    public static Task<Results<Ok<AddressDto>, NotFound, ProblemHttpResult>> MakeDefaultAsync(
        Guid id, ClaimsPrincipal principal, UsersDbContext db, CancellationToken cancellationToken) =>
        ChangeMyAddressAsync<Results<Ok<AddressDto>, NotFound, ProblemHttpResult>>(
            id, principal, db, Problems.UnknownAccount(), TypedResults.NotFound(), async (address, ct) =>
            {
                if (!address.IsDefault)
                {
                    await ClearDefaultAsync(db, address.UserId, except: id, ct);
                    address.IsDefault = true;
                    await db.SaveChangesAsync(ct);
                }

                return TypedResults.Ok(AddressDto.From(address));
            }, cancellationToken);

    public static Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal principal, UsersDbContext db, CancellationToken cancellationToken) =>
        ChangeMyAddressAsync<Results<NoContent, NotFound, ProblemHttpResult>>(
            id, principal, db, Problems.UnknownAccount(), TypedResults.NotFound(), async (address, ct) =>
            {
                db.Addresses.Remove(address);
                await db.SaveChangesAsync(ct);
                if (address.IsDefault
                    && await db.Addresses.Where(a => a.UserId == address.UserId).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).FirstOrDefaultAsync(ct) is { } oldest)
                {
                    oldest.IsDefault = true;
                    await db.SaveChangesAsync(ct);
                }

                return TypedResults.NoContent();
            }, cancellationToken);

    /// <summary>
    /// What every change to the address book starts with: the signed-in user, a transaction holding the user's row
    /// (see <see cref="UsersDbContextExtensions.LockUserAsync"/>), then <paramref name="change"/> with the user's id.
    /// The refusals are the handler's own result type, which only the handler can make.
    /// </summary>
    private static async Task<TResult> ChangeMyAddressesAsync<TResult>(
        ClaimsPrincipal principal, UsersDbContext db, TResult unknownAccount, Func<Guid, CancellationToken, Task<TResult>> change,
        CancellationToken cancellationToken)
    {
        if (principal.MallUser() is not { } me)
        {
            return unknownAccount;
        }

        return await db.InTransactionAsync(
            async ct => await db.LockUserAsync(me.Id, ct) is null ? unknownAccount : await change(me.Id, ct),
            cancellationToken);
    }

    /// <summary>As <see cref="ChangeMyAddressesAsync"/>, for the user's address <paramref name="id"/>: another user's is as missing as none.</summary>
    private static Task<TResult> ChangeMyAddressAsync<TResult>(
        Guid id, ClaimsPrincipal principal, UsersDbContext db, TResult unknownAccount, TResult notFound,
        Func<Address, CancellationToken, Task<TResult>> change, CancellationToken cancellationToken) =>
        ChangeMyAddressesAsync(principal, db, unknownAccount, async (userId, ct) =>
            await db.Addresses.SingleOrDefaultAsync(a => a.Id == id && a.UserId == userId, ct) is { } address
                ? await change(address, ct)
                : notFound,
            cancellationToken);

    /// <summary>Runs before the new default is saved: the partial unique index allows one default per user at any moment.</summary>
    private static Task<int> ClearDefaultAsync(UsersDbContext db, Guid userId, Guid? except, CancellationToken cancellationToken) =>
        db.Addresses
            .Where(a => a.UserId == userId && a.IsDefault && a.Id != except)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.IsDefault, false), cancellationToken);

    /// <summary>An <see cref="AddressInput"/> checked and trimmed.</summary>
    private sealed record AddressFields(string Recipient, string Phone, string Province, string City, string District, string Line, string? PostalCode)
    {
        public static AddressFields Read(AddressInput input, FieldErrors errors)
        {
            var postalCode = errors.PostalCode("postalCode", input.PostalCode);
            return new(
                errors.Text("recipient", input.Recipient, AddressRules.RecipientMaxLength),
                errors.Phone("phone", input.Phone, required: true),
                errors.Text("province", input.Province, AddressRules.RegionMaxLength),
                errors.Text("city", input.City, AddressRules.RegionMaxLength),
                errors.Text("district", input.District, AddressRules.RegionMaxLength),
                errors.Text("line", input.Line, AddressRules.LineMaxLength),
                postalCode.Length > 0 ? postalCode : null);
        }

        public void ApplyTo(Address address)
        {
            address.Recipient = Recipient;
            address.Phone = Phone;
            address.Province = Province;
            address.City = City;
            address.District = District;
            address.Line = Line;
            address.PostalCode = PostalCode;
        }
    }
}
