using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TTMall.ServiceDefaults.Http;

/// <summary>
/// A store or service a request depends on, and how to recognise that it did not answer: <paramref name="Matches"/> is
/// tried on the exception and each of its inner exceptions (a data layer wraps the driver's).
/// </summary>
public sealed record UnavailableDependency(Func<Exception, bool> Matches, string Title, string Detail);

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

internal sealed class UnavailableDependencyHandler(IEnumerable<UnavailableDependency> dependencies, IProblemDetailsService problemDetails) : IExceptionHandler
{
    /// <summary>Long enough for a restarting store or a replica's failover; short enough that a shopper's retry is not kept waiting.</summary>
    private const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var dependency = Find(exception);
        if (dependency is null || context.Response.HasStarted)
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = dependency.Title, Detail = dependency.Detail },
        });
    }

    private UnavailableDependency? Find(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
            {
                current = aggregate.InnerExceptions[0];
            }

            foreach (var dependency in dependencies)
            {
                if (dependency.Matches(current))
                {
                    return dependency;
                }
            }
        }

        return null;
    }
}
