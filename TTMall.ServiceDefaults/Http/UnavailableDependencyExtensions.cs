using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TTMall.ServiceDefaults.Http;

public static class UnavailableDependencyExtensions
{
    /// <summary>
    /// Answers a request that failed because <typeparamref name="TException"/> (matching <paramref name="when"/>) says
    /// a dependency did not answer with a 503 problem and Retry-After, not a 500 that reads as a bug in the service.
    /// The dependency coming back needs no restart: the next request simply succeeds.
    /// </summary>
    public static IServiceCollection AddUnavailableDependency<TException>(
        this IServiceCollection services, string title, string detail, Func<TException, bool>? when = null)
        where TException : Exception
    {
        services.AddSingleton(new UnavailableDependency(e => e is TException match && (when?.Invoke(match) ?? true), title, detail));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, UnavailableDependencyHandler>());
        return services;
    }
}
