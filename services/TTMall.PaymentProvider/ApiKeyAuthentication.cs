using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace TTMall.PaymentProvider;

/// <summary>
/// Callers authenticate as card networks' APIs have them do: <c>Authorization: Bearer &lt;api key&gt;</c> with the
/// key from <see cref="ProviderOptions.ApiKey"/>. No key or a wrong one is 401 (with problem details, written by the
/// status-code pages), and the key is compared in constant time.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<ProviderOptions> provider)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>Whose keys Idempotency-Keys belong to: there is one API key, the sandbox's.</summary>
    public const string Caller = "sandbox";

    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(provider.Value.ApiKey.Trim()));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("Not a bearer API key."));
        }

        // Hashing both sides first makes the comparison's time independent of the key's length too.
        var sent = SHA256.HashData(Encoding.UTF8.GetBytes(header[bearer.Length..].Trim()));
        if (!CryptographicOperations.FixedTimeEquals(sent, _expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong API key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, Caller)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
