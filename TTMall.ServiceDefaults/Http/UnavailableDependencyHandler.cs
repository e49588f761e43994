using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace TTMall.ServiceDefaults.Http;

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
