using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TTMall.ServiceDefaults.Security;
using TTMall.Users.Data;

namespace TTMall.Users.Tests;

[Collection(UsersCollection.Name)]
public sealed class StaffTests(UsersServiceFixture users)
{
    [Fact]
    public async Task A_signed_up_user_is_never_staff_whatever_they_send()
    {
        using var shopper = await users.Service.NewShopperAsync("shopper");

        Assert.False(HasStaffRole(shopper.Tokens.AccessToken));
        var update = await shopper.Http.SendJsonAsync(HttpMethod.Put, "/api/users/me",
            """{"displayName":"店长","phone":null,"isStaff":true,"role":"staff","roles":["staff"]}""");
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        using var anonymous = users.Service.CreateClient();
        var refreshed = await (await anonymous.RefreshAsync(shopper.Tokens.RefreshToken)).TokensAsync();
        var signedIn = await (await anonymous.SignInAsync(shopper.Email)).TokensAsync();

        Assert.Equal("店长", signedIn.User.DisplayName);
        Assert.False(HasStaffRole(refreshed.AccessToken));
        Assert.False(HasStaffRole(signedIn.AccessToken));
        Assert.False(await IsStaffAsync(shopper.Email));
    }

    [Fact]
    public async Task The_staff_account_exists_only_with_its_password_set_and_takes_its_address_from_whoever_signed_up_with_it()
    {
        Assert.Empty(await StaffEmailsAsync());

        // Before the staff password is configured the address is an ordinary one: someone signs up with it.
        await users.Service.SignUpAsync(UsersSeed.StaffEmail);
        using var anonymous = users.Service.CreateClient();
        var squatter = await (await anonymous.SignInAsync(UsersSeed.StaffEmail)).TokensAsync();
        Assert.False(HasStaffRole(squatter.AccessToken));
        Assert.Empty(await StaffEmailsAsync());

        var password = "staff" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)) + "1";
        await using (var withStaff = users.StartReplica(("Users:StaffPassword", password)))
        {
            using var http = withStaff.CreateClient();
            var staff = await (await http.SignInAsync(UsersSeed.StaffEmail, password)).TokensAsync();
            var refreshed = await (await http.RefreshAsync(staff.RefreshToken)).TokensAsync();

            Assert.True(HasStaffRole(staff.AccessToken));
            Assert.True(HasStaffRole(refreshed.AccessToken));
            Assert.Equal(UsersSeed.StaffDisplayName, staff.User.DisplayName);
            // Whoever signed up with the address is out: their password and their session are no longer good.
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SignInAsync(UsersSeed.StaffEmail)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.RefreshAsync(squatter.RefreshToken)).StatusCode);
        }

        Assert.Equal([UsersSeed.StaffEmail], await StaffEmailsAsync());
    }

    private static bool HasStaffRole(string accessToken) =>
        UsersHttp.Payload(accessToken).TryGetProperty(MallUserClaims.RoleClaim, out var role)
        && role.ValueKind == JsonValueKind.String && role.GetString() == MallUserClaims.StaffRole;

    private async Task<bool> IsStaffAsync(string email) => (await StaffEmailsAsync()).Contains(email);

    private async Task<List<string>> StaffEmailsAsync()
    {
        await using var scope = users.Service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UsersDbContext>().Users.Where(u => u.IsStaff).Select(u => u.Email).ToListAsync();
    }
}
