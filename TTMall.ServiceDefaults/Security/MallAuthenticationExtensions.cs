using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TTMall.ServiceDefaults.Security;

public static class MallAuthenticationExtensions
{
    /// <summary>
    /// The policy of endpoints only the mall's staff may use: a valid token with the staff role (401 without a token,
    /// 403 for a shopper's).
    /// </summary>
    public const string StaffPolicy = "staff";

    /// <summary>
    /// Requests may carry a bearer access token issued by the users service; endpoints that need a user say so
    /// with RequireAuthorization(). An invalid, expired or tampered token, or one not signed ES256 by a key in
    /// <c>Jwt:PublicKeys</c>, is answered 401. Unusable keys stop the service at start. Endpoints for staff only say
    /// RequireAuthorization(<see cref="StaffPolicy"/>).
    /// </summary>
    public static IHostApplicationBuilder AddMallAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JwtOptions>()
            .Bind(builder.Configuration.GetSection(JwtOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<JwtOptions>, UsableKeys>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = jwt.Value.ValidationParameters();
            });
        builder.Services.AddAuthorizationBuilder().AddPolicy(StaffPolicy, policy => policy
            .RequireAuthenticatedUser()
            .RequireClaim(MallUserClaims.RoleClaim, MallUserClaims.StaffRole));
        return builder;
    }

    /// <summary>The users service: signs access tokens with <c>Jwt:SigningKey</c>, which it must have.</summary>
    public static IHostApplicationBuilder AddAccessTokenSigning(this IHostApplicationBuilder builder)
    {
        builder.AddMallAuthentication();
        builder.Services.AddOptions<JwtOptions>()
            .Validate(o => o.SigningKey.Length > 0, $"{JwtOptions.Section}:SigningKey is not set: the users service signs access tokens with it.");
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AccessTokens>();
        return builder;
    }

    private sealed class UsableKeys : IValidateOptions<JwtOptions>
    {
        public ValidateOptionsResult Validate(string? name, JwtOptions options)
        {
            try
            {
                _ = options.VerificationKeys();
                if (options.SigningKey.Length > 0)
                {
                    _ = options.Key();
                }

                return ValidateOptionsResult.Success;
            }
            catch (InvalidOperationException e)
            {
                return ValidateOptionsResult.Fail(e.Message);
            }
        }
    }
}
