using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TTMall.Testing.Infrastructure;
using TTMall.Users;
using TTMall.Users.Data;

namespace TTMall.Testing.Shop;

/// <summary>Calls to the users service as a client makes them, and checks on what comes back.</summary>
public static class UsersHttp
{
    public const string Password = "kaixin2026";

    public static string NewEmail(string name = "shopper") => $"{name}-{Guid.NewGuid():N}@example.test";

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient http, string email, string password = Password, string displayName = "小明") =>
        http.PostAsJsonAsync("/api/users", new RegisterRequest(email, password, displayName));

    /// <summary><paramref name="clientIp"/>: the client's address as the gateway would report it.</summary>
    public static Task<HttpResponseMessage> SignInAsync(this HttpClient http, string email, string password = Password, string? clientIp = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/users/sessions") { Content = JsonContent.Create(new SignInRequest(email, password)) };
        if (clientIp is not null)
        {
            request.Headers.Add("X-Forwarded-For", clientIp);
        }

        return http.SendAsync(request);
    }

    /// <summary>
    /// A client whose connections come from <paramref name="localAddress"/> (127.0.0.2, 127.0.0.3, … are all this
    /// machine), so the service sees it as a client of its own without anyone's word for it.
    /// </summary>
    public static HttpClient ClientFrom(this MallServiceHost<UsersDbContext> service, string localAddress) =>
        LocalAddressClient.From(localAddress, service.BaseAddress);

    /// <summary>A problem body with its trace id blanked: what is left is all a client learns from it.</summary>
    public static async Task<string> BodyWithoutTraceAsync(HttpResponseMessage response) =>
        System.Text.RegularExpressions.Regex.Replace(await response.Content.ReadAsStringAsync(), "\"traceId\":\"[^\"]*\"", "\"traceId\":\"\"");

    public static Task<HttpResponseMessage> RefreshAsync(this HttpClient http, string refreshToken) =>
        http.PostAsJsonAsync("/api/users/sessions/refresh", new RefreshRequest(refreshToken));

    public static Task<HttpResponseMessage> SignOutAsync(this HttpClient http, string? refreshToken) =>
        http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/users/sessions") { Content = JsonContent.Create(new RefreshRequest(refreshToken)) });

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient http, HttpMethod method, string path, string json) =>
        http.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    public static async Task<SessionTokens> TokensAsync(this HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SessionTokens>())!;
    }

    /// <summary>
    /// Signs up a new address and confirms it with the code mailed to it, as its owner would; fails when the address
    /// was taken (its owner is mailed a notice, not a code).
    /// </summary>
    public static async Task<UserProfile> SignUpAsync(this MallServiceHost<UsersDbContext> service, string email, string password = Password, string displayName = "小明")
    {
        using var http = service.CreateClient();
        return await http.SignUpAsync(email, since => service.CodeMailedToAsync(email.Trim(), since), password, displayName);
    }

    /// <summary>
    /// The same through any client of the users service (a service process, say), with the code read by
    /// <paramref name="mailedCode"/> from the mails sent since the instant it is given.
    /// </summary>
    public static async Task<UserProfile> SignUpAsync(
        this HttpClient http, string email, Func<DateTimeOffset, Task<string>> mailedCode, string password = Password, string displayName = "小明")
    {
        var before = DateTimeOffset.UtcNow;
        using var accepted = await http.RegisterAsync(email, password, displayName);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var code = await mailedCode(before.AddSeconds(-1));
        using var confirmed = await http.PostAsJsonAsync("/api/users/confirmation", new ConfirmationRequest(email, code));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        return (await confirmed.Content.ReadFromJsonAsync<UserProfile>())!;
    }

    /// <summary>The mails in mail_outbox to <paramref name="to"/>, oldest first.</summary>
    public static async Task<List<OutgoingMail>> MailsToAsync(this MallServiceHost<UsersDbContext> service, string to)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UsersDbContext>().MailsToAsync(to);
    }

    /// <summary>The mails in mail_outbox to <paramref name="to"/>, oldest first, read through the users service's own model.</summary>
    public static Task<List<OutgoingMail>> MailsToAsync(this UsersDbContext db, string to) =>
        db.MailOutbox.AsNoTracking().Where(m => m.To == to).OrderBy(m => m.CreatedAt).ToListAsync();

    /// <summary>The confirmation code in the latest mail to <paramref name="to"/> since <paramref name="since"/>.</summary>
    public static async Task<string> CodeMailedToAsync(this MallServiceHost<UsersDbContext> service, string to, DateTimeOffset since)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UsersDbContext>().CodeMailedToAsync(to, since);
    }

    /// <inheritdoc cref="CodeMailedToAsync(MallServiceHost{UsersDbContext}, string, DateTimeOffset)"/>
    public static async Task<string> CodeMailedToAsync(this UsersDbContext db, string to, DateTimeOffset since)
    {
        var mail = (await db.MailsToAsync(to)).LastOrDefault(m => m.CreatedAt >= since)
            ?? throw new Xunit.Sdk.XunitException($"no mail to {to}");
        var code = System.Text.RegularExpressions.Regex.Match(mail.Body, "\\b[0-9]{8}\\b");
        Assert.True(code.Success, $"no code in the mail to {to}: {mail.Subject}");
        return code.Value;
    }

    /// <summary>A registered, signed-in shopper, with a client that sends their access token.</summary>
    public static async Task<Shopper> NewShopperAsync(this MallServiceHost<UsersDbContext> service, string name = "shopper")
    {
        var email = NewEmail(name);
        using var anonymous = service.CreateClient();
        await service.SignUpAsync(email, Password, name);
        var tokens = await (await anonymous.SignInAsync(email)).TokensAsync();
        return new Shopper(email, tokens, service.AuthorizedClient(tokens.AccessToken));
    }

    public static HttpClient AuthorizedClient(this MallServiceHost<UsersDbContext> service, string accessToken)
    {
        var http = service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    public static AddressInput Address(string recipient = "张三", bool? isDefault = null) =>
        new(recipient, "13800138000", "浙江省", "杭州市", "余杭区", "文一西路 969 号 3 号楼", "311121", isDefault);

    public static async Task<AddressDto> AddAddressAsync(this HttpClient http, AddressInput address)
    {
        var response = await http.PostAsJsonAsync("/api/users/me/addresses", address);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AddressDto>())!;
    }

    public static async Task<List<AddressDto>> AddressesAsync(this HttpClient http) =>
        (await http.GetFromJsonAsync<List<AddressDto>>("/api/users/me/addresses"))!;

    /// <summary>The claims inside a JWT, read without checking it.</summary>
    public static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement;
}
